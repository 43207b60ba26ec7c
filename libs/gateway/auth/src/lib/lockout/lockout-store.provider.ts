import type { FactoryProvider } from '@nestjs/common';
import { REDIS } from '@synapse/gateway/cluster';
import type Redis from 'ioredis';
import { InProcessLockoutStore } from './in-process-lockout-store';
import { LockoutStore } from './lockout-store';
import { RedisLockoutStore } from './redis-lockout-store';

/** Redis when the gateway has it (replicas count together), in process otherwise. */
export const lockoutStoreProvider: FactoryProvider<LockoutStore> = {
  provide: LockoutStore,
  inject: [{ token: REDIS, optional: true }],
  useFactory: (redis?: Redis | null) => (redis ? new RedisLockoutStore(redis) : new InProcessLockoutStore()),
};
