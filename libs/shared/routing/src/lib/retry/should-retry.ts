import { failureReason, type AttemptFailure } from './attempt-failure';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';

/** Whether this kind of failure earns another try at all (on this route or a fallback). */
export function isRetryable(failure: AttemptFailure, policy: RetryPolicy): boolean {
  if (failure.streamStarted) return false;
  const reason = failureReason(failure);
  return reason !== undefined && (policy.retryOn ?? DEFAULT_RETRY_POLICY.retryOn).includes(reason);
}

/** Whether attempt number `attemptNumber` (1 = the first try), which failed, may be followed by another. */
export function shouldRetry(failure: AttemptFailure, attemptNumber: number, policy: RetryPolicy): boolean {
  return attemptNumber < (policy.attempts ?? DEFAULT_RETRY_POLICY.attempts) && isRetryable(failure, policy);
}
