/**
 * The times of a target's last `threshold` failures, in a ring: `threshold` failures fell within
 * `windowMs` exactly when the oldest of them is younger than `windowMs`. O(1) per failure.
 */
export class FailureWindow {
  private readonly times: Float64Array;
  private next = 0;
  private size = 0;

  constructor(private readonly threshold: number) {
    this.times = new Float64Array(threshold);
  }

  /** Records a failure at `now`; true when it makes `threshold` failures within `windowMs`. */
  add(now: number, windowMs: number): boolean {
    this.times[this.next] = now;
    this.next = (this.next + 1) % this.threshold;
    if (this.size < this.threshold) this.size++;
    // Once full, `next` points at the oldest recorded failure.
    return this.size === this.threshold && now - this.times[this.next] < windowMs;
  }

  /** Failures younger than `windowMs` (at most `threshold`: older ones are forgotten). */
  count(now: number, windowMs: number): number {
    let count = 0;
    for (let i = 0; i < this.size; i++) if (now - this.times[i] < windowMs) count++;
    return count;
  }

  clear(): void {
    this.next = 0;
    this.size = 0;
  }
}
