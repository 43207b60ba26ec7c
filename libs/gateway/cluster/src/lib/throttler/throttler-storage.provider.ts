import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { InMemoryThrottlerStorage } from './in-memory-throttler-storage';
import { RedisThrottlerStorage } from './redis-throttler-storage';

/** Redis when the gateway has it (replicas count into one window), in process otherwise. */
export function throttlerStorageFor(redis: Redis | null): ThrottlerStorage {
  return redis ? new RedisThrottlerStorage(redis) : new InMemoryThrottlerStorage();
}
