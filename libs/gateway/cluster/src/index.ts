export * from './lib/cluster.module';
export * from './lib/invalidation-bus';
export * from './lib/throttler/in-memory-throttler-storage';
export * from './lib/throttler/redis-throttler-storage';
export * from './lib/throttler/throttler-record';
export * from './lib/throttler/throttler-storage.provider';
export * from './lib/redis-reachability';
export * from './lib/throttler/failover-throttler-storage';
