import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

// Only the holder (same token) may extend or release: a lock that expired and was taken over stays the new holder's.
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** A lock shared by the replicas: `SET key token NX PX ttl`, extended while work goes on. */
export class RedisLock {
  private token: string | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {}

  /** True when this replica now holds the lock. */
  async acquire(): Promise<boolean> {
    const token = randomUUID();
    const taken = await this.redis.set(this.key, token, 'PX', this.ttlMs, 'NX');
    if (taken !== 'OK') return false;
    this.token = token;
    return true;
  }

  /** Keeps the lock for another ttl; false when it was lost (expired and taken by another replica). */
  async extend(): Promise<boolean> {
    if (!this.token) return false;
    return (await this.redis.eval(EXTEND, 1, this.key, this.token, this.ttlMs)) === 1;
  }

  async release(): Promise<void> {
    if (!this.token) return;
    const token = this.token;
    this.token = undefined;
    await this.redis.eval(RELEASE, 1, this.key, token);
  }
}
