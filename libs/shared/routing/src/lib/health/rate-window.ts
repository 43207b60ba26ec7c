interface Counter {
  start: number;
  current: number;
  previous: number;
}

/**
 * Per-key usage over a sliding window (requests or tokens per minute), approximated with two fixed
 * windows: the previous window's count, weighted by how much of it the sliding window still covers,
 * plus the current count. O(1) time and memory per key, no timestamps kept; counts are local to
 * this replica.
 */
export class RateWindow {
  private readonly counters = new Map<string, Counter>();

  constructor(readonly windowMs = 60_000) {
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
  }

  used(key: string, now: number): number {
    const counter = this.counters.get(key);
    if (counter === undefined) return 0;
    this.roll(counter, now);
    const uncovered = (now - counter.start) / this.windowMs;
    return counter.previous * (1 - uncovered) + counter.current;
  }

  remaining(key: string, limit: number, now: number): number {
    return limit - this.used(key, now);
  }

  /** Counts usage unconditionally, e.g. tokens reported after a response. */
  add(key: string, amount: number, now: number): void {
    let counter = this.counters.get(key);
    if (counter === undefined) {
      counter = { start: this.windowStart(now), current: 0, previous: 0 };
      this.counters.set(key, counter);
    } else this.roll(counter, now);
    counter.current += amount;
  }

  /** Counts `amount` if it fits under `limit` within the window; false (and nothing counted) otherwise. */
  tryTake(key: string, amount: number, limit: number, now: number): boolean {
    if (this.used(key, now) + amount > limit) return false;
    this.add(key, amount, now);
    return true;
  }

  private roll(counter: Counter, now: number): void {
    const start = this.windowStart(now);
    // A clock that steps back stays in the current window.
    if (start <= counter.start) return;
    counter.previous = start - counter.start === this.windowMs ? counter.current : 0;
    counter.current = 0;
    counter.start = start;
  }

  private windowStart(now: number): number {
    return now - (now % this.windowMs);
  }
}
