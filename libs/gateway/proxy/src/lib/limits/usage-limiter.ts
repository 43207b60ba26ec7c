import type { KeyLimits } from '@synapse/gateway/persistence';

export type LimitKind = 'requests' | 'tokens' | 'concurrency';

/** Whether a call may start under its key's limits, and when to retry if not. */
export type LimitVerdict =
  | { allowed: true }
  | { allowed: false; kind: LimitKind; limit: number; retryAfterSeconds: number };

/**
 * Per-key caps: requests and tokens per minute (fixed one-minute windows) and requests in flight.
 * In process for one replica; in Redis, so that all replicas enforce one limit together.
 */
export abstract class KeyLimiter {
  /** Counts the call (request and in-flight) if every cap allows it; `estimatedTokens` is checked against tpm. */
  abstract begin(keyId: string, limits: KeyLimits, estimatedTokens: number, now: number): Promise<LimitVerdict>;
  /** The call is over: frees its in-flight slot. */
  abstract end(keyId: string, limits: KeyLimits): void;
  /** Charges the tokens the call really used, once known. */
  abstract charge(keyId: string, limits: KeyLimits, tokens: number, now: number): void;
}

export const WINDOW_MS = 60_000;

export function windowOf(now: number): number {
  return Math.floor(now / WINDOW_MS);
}

export function secondsToNextWindow(now: number): number {
  return Math.max(1, Math.ceil((WINDOW_MS - (now % WINDOW_MS)) / 1000));
}
