export * from './lib/cluster.module';
export * from './lib/invalidation-bus';
