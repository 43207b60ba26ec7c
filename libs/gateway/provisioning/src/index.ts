export * from './lib/config-applier';
export * from './lib/config-check';
export * from './lib/master-key';
export * from './lib/provisioning.module';
export * from './lib/provisioning.service';
export * from './lib/rotate-master-key';
export * from './lib/rotate-master-key.command';
export * from './lib/stored-secrets';
