/** A failure count and how long until it is forgotten. */
export interface FailureCount {
  count: number;
  ttlMs: number;
}

/**
 * Counters of failed sign-ins, each forgotten some time after its first failure. In Redis when
 * the gateway has it, so that every replica counts together; in process otherwise.
 */
export abstract class LockoutStore {
  /** Adds one to the key's count; a count that starts here is forgotten after `windowMs`. */
  abstract increment(key: string, windowMs: number): Promise<FailureCount>;
  /** Takes one back (an attempt that did not fail); never below zero, never creates a count. */
  abstract release(key: string): Promise<void>;
  /** Keeps the count for `ms` from now: the lock. */
  abstract hold(key: string, ms: number): Promise<void>;
  abstract reset(key: string): Promise<void>;
}
