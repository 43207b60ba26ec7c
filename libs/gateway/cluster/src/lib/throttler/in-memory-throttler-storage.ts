import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerRecord as ThrottlerStorageRecord } from './throttler-record';

interface Window {
  hits: number;
  expiresAt: number;
  blockedUntil: number;
}

/**
 * ThrottlerStorage in this process, with the same fixed windows as the Redis storage: a window
 * opens at a key's first hit and lasts `ttl`; hits past `limit` are refused, not counted, until
 * `blockDuration` (or, without one, the window) is over.
 *
 * Not @nestjs/throttler's ThrottlerStorageService: that one keeps an expiry time per hit and scans
 * them on every call, O(limit) per request, which the /v1 hot path with rpm limits in the
 * thousands cannot afford. This is O(1) per call; expired windows are swept now and then, from
 * increment itself, so no timer is needed.
 */
export class InMemoryThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private nextSweep = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = this.clock();
    this.sweep(now);
    const id = `${throttlerName}:${key}`;
    let window = this.windows.get(id);
    if (!window || (window.expiresAt <= now && window.blockedUntil <= now)) {
      window = { hits: 0, expiresAt: now + ttl, blockedUntil: 0 };
      this.windows.set(id, window);
    }
    if (window.blockedUntil <= now && window.hits < limit) {
      window.hits++;
      return {
        totalHits: window.hits,
        timeToExpire: seconds(window.expiresAt - now),
        isBlocked: false,
        timeToBlockExpire: 0,
      };
    }
    if (window.blockedUntil <= now) window.blockedUntil = blockDuration > 0 ? now + blockDuration : window.expiresAt;
    return {
      totalHits: window.hits + 1,
      timeToExpire: seconds(window.expiresAt - now),
      isBlocked: true,
      timeToBlockExpire: seconds(window.blockedUntil - now),
    };
  }

  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + 60_000;
    for (const [id, window] of this.windows) {
      if (window.expiresAt <= now && window.blockedUntil <= now) this.windows.delete(id);
    }
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
