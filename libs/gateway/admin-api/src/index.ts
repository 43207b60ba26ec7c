export * from './lib/admin-api.module';
