import { LockoutStore, type FailureCount } from './lockout-store';

interface Entry {
  count: number;
  expiresAt: number;
}

/** Past this many counters, forgotten ones are swept on the next increment. */
const SWEEP_ABOVE = 10_000;

/** Counters in a Map, for a gateway without Redis (one replica). */
export class InProcessLockoutStore extends LockoutStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  async increment(key: string, windowMs: number): Promise<FailureCount> {
    if (this.entries.size > SWEEP_ABOVE) this.sweep();
    const entry = this.live(key) ?? { count: 0, expiresAt: this.now() + windowMs };
    entry.count += 1;
    this.entries.set(key, entry);
    return { count: entry.count, ttlMs: entry.expiresAt - this.now() };
  }

  async release(key: string): Promise<void> {
    const entry = this.live(key);
    if (entry && entry.count > 0) entry.count -= 1;
  }

  async hold(key: string, ms: number): Promise<void> {
    const entry = this.live(key);
    if (entry) entry.expiresAt = this.now() + ms;
  }

  async reset(key: string): Promise<void> {
    this.entries.delete(key);
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    for (const key of [...this.entries.keys()]) this.live(key);
  }
}
