import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RedisReachability } from '../redis-reachability';
import type { ThrottlerRecord } from './throttler-record';

/**
 * The shared request counters while Redis is reachable; this replica's own while it is not (or
 * when a command fails), so that request limits keep counting, per replica, through an outage.
 */
export class FailoverThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly shared: ThrottlerStorage,
    private readonly local: ThrottlerStorage,
    private readonly reachability: RedisReachability,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerRecord> {
    if (this.reachability.up) {
      try {
        return await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
      } catch {
        // Lost between the check and the answer: count this one locally.
      }
    }
    return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
  }
}
