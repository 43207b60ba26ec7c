export * from './lib/audit-trail';
export * from './lib/audit.module';
export * from './lib/redact';
