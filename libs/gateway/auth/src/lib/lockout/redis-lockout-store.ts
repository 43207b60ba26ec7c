import type Redis from 'ioredis';
import { LockoutStore, type FailureCount } from './lockout-store';

export const LOCKOUT_KEY_PREFIX = 'synapse:lockout:';

// INCR and PEXPIRE in one script, so that a count never lives without its expiry.
const INCREMENT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

// DECR keeps the expiry; the check keeps it from creating a count or going below zero.
const RELEASE = `
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

/** Counters in Redis, shared by every replica (keys `synapse:lockout:…`). */
export class RedisLockoutStore extends LockoutStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = LOCKOUT_KEY_PREFIX,
  ) {
    super();
  }

  async increment(key: string, windowMs: number): Promise<FailureCount> {
    const [count, ttlMs] = (await this.redis.eval(INCREMENT, 1, this.prefix + key, windowMs)) as [number, number];
    return { count, ttlMs };
  }

  async release(key: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.prefix + key);
  }

  async hold(key: string, ms: number): Promise<void> {
    await this.redis.pexpire(this.prefix + key, ms);
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
