/** The longest wait between two attempts while a store fails. */
const MAX_RETRY_DELAY_MS = 10_000;

/**
 * When a batch writer whose store failed may try again: the wait doubles from `baseMs` (the flush
 * interval) up to 10 s. Without it a store that fails was tried again at every call's end: a full
 * disk made ~600 attempts, and as many ERROR lines, a second.
 */
export class WriteBackoff {
  private failures = 0;
  private retryAt = 0;

  constructor(private readonly baseMs: number) {}

  /** Failed attempts in a row. */
  get failing(): number {
    return this.failures;
  }

  /** Whether a write may start now. */
  due(now = Date.now()): boolean {
    return this.failures === 0 || now >= this.retryAt;
  }

  /** Notes a failed attempt; returns the wait before the next one (ms). */
  failed(now = Date.now()): number {
    this.failures++;
    const delay = Math.min(this.baseMs * 2 ** (this.failures - 1), MAX_RETRY_DELAY_MS);
    this.retryAt = now + delay;
    return delay;
  }

  /** Notes a write that went through; returns the failed attempts it ends (0 when there were none). */
  succeeded(): number {
    const ended = this.failures;
    this.failures = 0;
    return ended;
  }
}
