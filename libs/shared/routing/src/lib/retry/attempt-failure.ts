import type { RetryReason } from './retry-policy';

interface FailureBase {
  /** Bytes already reached the caller: the answer cannot be replaced by another attempt. */
  streamStarted?: boolean;
}

/** No usable answer: the connection failed or a timeout fired. */
export interface ConnectionFailure extends FailureBase {
  kind: 'connect' | 'timeout';
}

/** The upstream answered with an error status. */
export interface StatusFailure extends FailureBase {
  kind: 'status';
  status: number;
  /** From the Retry-After header (see parseRetryAfter). */
  retryAfterMs?: number;
}

/** How one attempt at one target failed, as the gateway reports it to the planner. */
export type AttemptFailure = ConnectionFailure | StatusFailure;

/**
 * The retry reason of a failure that is the target's fault, or undefined when the request itself
 * is at fault (4xx other than 408 and 429): another target would answer the same.
 * 408 (Request Timeout) is the upstream giving up on a slow exchange, so it counts as a timeout.
 */
export function failureReason(failure: AttemptFailure): RetryReason | undefined {
  if (failure.kind !== 'status') return failure.kind;
  const { status } = failure;
  if (status === 408) return 'timeout';
  if (status === 429) return '429';
  if (status >= 500 && status <= 599) return '5xx';
  return undefined;
}
