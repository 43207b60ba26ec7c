import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';

const LOCK_KEY = 'synapse:alerts:evaluation';

/**
 * Who evaluates this round. With Redis, the first replica to take the lock for the round does (the
 * lock expires by itself, so a replica that dies hands over at the next round); without Redis every
 * replica evaluates and the compare-and-set of the state store lets one of them notify.
 */
export class EvaluationLock {
  private readonly holder = randomUUID();

  constructor(private readonly redis: Redis | null) {}

  async acquire(ttlMs: number): Promise<boolean> {
    if (!this.redis) return true;
    try {
      return (await this.redis.set(LOCK_KEY, this.holder, 'PX', Math.max(ttlMs, 100), 'NX')) === 'OK';
    } catch {
      // Redis unreachable: evaluate anyway, the state store still keeps notifications single.
      return true;
    }
  }
}
