/** Failure kinds a route may retry on; a 408 counts as 'timeout'. */
export const RETRY_REASONS = ['connect', 'timeout', '429', '5xx'] as const;
export type RetryReason = (typeof RETRY_REASONS)[number];

export interface RetryPolicy {
  /** Tries within one route, the first included. Default 3. */
  attempts?: number;
  /** Which failures earn another try (on this route or a fallback). Default: all four. */
  retryOn?: readonly RetryReason[];
  /** Base of the exponential backoff before re-trying a target already tried. Default 100 ms. */
  backoffMs?: number;
  /** Upper bound of that backoff. Default 2000 ms. */
  maxBackoffMs?: number;
  /**
   * The longest Retry-After worth sleeping on. Beyond it the target is skipped (and cooled down
   * until then) instead, so the request moves on at once. Default 30 s.
   */
  maxRetryAfterMs?: number;
}

export type ResolvedRetryPolicy = Readonly<Required<RetryPolicy>>;

export const DEFAULT_RETRY_POLICY: ResolvedRetryPolicy = Object.freeze({
  attempts: 3,
  retryOn: RETRY_REASONS,
  backoffMs: 100,
  maxBackoffMs: 2_000,
  maxRetryAfterMs: 30_000,
});

export function resolveRetryPolicy(policy: RetryPolicy = {}): ResolvedRetryPolicy {
  const defaults = DEFAULT_RETRY_POLICY;
  return Object.freeze({
    attempts: policy.attempts ?? defaults.attempts,
    retryOn: policy.retryOn ?? defaults.retryOn,
    backoffMs: policy.backoffMs ?? defaults.backoffMs,
    maxBackoffMs: policy.maxBackoffMs ?? defaults.maxBackoffMs,
    maxRetryAfterMs: policy.maxRetryAfterMs ?? defaults.maxRetryAfterMs,
  });
}
