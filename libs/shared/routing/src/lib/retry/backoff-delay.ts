import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';

/** Sleep, then re-try; or do not wait for this target at all (its Retry-After is too long). */
export type BackoffDecision = { action: 'wait'; delayMs: number } | { action: 'skip-target'; retryAfterMs: number };

/**
 * How long to wait before re-trying a target after attempt number `attemptNumber` (1-based) failed:
 * exponential backoff with full jitter (uniform in [0, min(max, base * 2^(n-1))), which spreads
 * replicas apart), but never less than the upstream's Retry-After. A Retry-After above
 * `maxRetryAfterMs` is not slept on: the caller should move to another target immediately.
 */
export function backoffDelay(
  attemptNumber: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs?: number,
): BackoffDecision {
  const maxRetryAfterMs = policy.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs;
  if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) return { action: 'skip-target', retryAfterMs };
  const base = policy.backoffMs ?? DEFAULT_RETRY_POLICY.backoffMs;
  const max = policy.maxBackoffMs ?? DEFAULT_RETRY_POLICY.maxBackoffMs;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attemptNumber - 1));
  const jittered = Math.floor(random() * ceiling);
  return { action: 'wait', delayMs: Math.max(jittered, retryAfterMs ?? 0) };
}
