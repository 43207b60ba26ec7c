export * from './lib/config-applier';
export * from './lib/master-key';
export * from './lib/provisioning.module';
export * from './lib/provisioning.service';
