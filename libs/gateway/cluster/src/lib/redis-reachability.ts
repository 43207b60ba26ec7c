import type Redis from 'ioredis';

/**
 * Whether the shared Redis can be used now, read from the client's own connection state (no
 * round trip), and a hook for its return. Callers fall back to in-process state while it is down,
 * so that no call waits for ioredis's reconnect attempts (docs/deployment.md#faults).
 */
export class RedisReachability {
  private lost = false;
  private readonly returns: (() => void)[] = [];

  constructor(private readonly redis: Redis) {
    redis.on('close', () => (this.lost = true));
    redis.on('ready', () => {
      if (!this.lost) return;
      this.lost = false;
      for (const callback of this.returns) callback();
    });
  }

  get up(): boolean {
    return this.redis.status === 'ready';
  }

  /** Called each time Redis is back after it was lost (not at the first connection). */
  onReturn(callback: () => void): void {
    this.returns.push(callback);
  }
}
