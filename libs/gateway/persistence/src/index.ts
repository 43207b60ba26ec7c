export * from './lib/models/channel';
export * from './lib/models/gateway-key';
export * from './lib/models/request-log';
export * from './lib/models/user';
export * from './lib/persistence.module';
export * from './lib/repositories';
export * from './lib/typeorm/data-source';
export * from './lib/typeorm/typeorm-repositories';
