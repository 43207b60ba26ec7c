export * from './lib/redis-lock';
export * from './lib/retention.job';
export * from './lib/retention.module';
