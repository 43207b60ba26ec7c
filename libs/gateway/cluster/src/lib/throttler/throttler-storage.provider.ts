import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';
import type { RedisReachability } from '../redis-reachability';
import { FailoverThrottlerStorage } from './failover-throttler-storage';
import { InMemoryThrottlerStorage } from './in-memory-throttler-storage';
import { RedisThrottlerStorage } from './redis-throttler-storage';

/**
 * Redis when the gateway has it (replicas count into one window), in process otherwise; with
 * Redis, in process too while Redis is unreachable.
 */
export function throttlerStorageFor(redis: Redis | null, reachability?: RedisReachability | null): ThrottlerStorage {
  if (!redis) return new InMemoryThrottlerStorage();
  const shared = new RedisThrottlerStorage(redis);
  return reachability ? new FailoverThrottlerStorage(shared, new InMemoryThrottlerStorage(), reachability) : shared;
}
