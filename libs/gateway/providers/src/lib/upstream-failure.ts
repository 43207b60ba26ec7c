import { EGRESS_REFUSED } from './egress-connector';

/** Why an upstream call failed before a complete response arrived; `refused`: the egress policy kept it from connecting. */
export type UpstreamFailureKind = 'timeout' | 'unreachable' | 'refused' | 'client_closed';

export class UpstreamFailure extends Error {
  constructor(
    readonly kind: UpstreamFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamFailure';
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Turns an undici or socket error into a failure the caller can be told about, without upstream details. */
export function classifyUpstreamError(error: unknown, abortReason?: unknown): UpstreamFailure {
  if (error instanceof UpstreamFailure) return error;
  if (abortReason instanceof UpstreamFailure) return abortReason;
  const code = (error as { code?: string } | undefined)?.code ?? '';
  // Our own message (the address and why), made by the policy: no upstream text in it.
  if (code === EGRESS_REFUSED) return new UpstreamFailure('refused', (error as Error).message);
  if (TIMEOUT_CODES.has(code)) {
    const phase =
      code === 'UND_ERR_CONNECT_TIMEOUT'
        ? 'connecting'
        : code === 'UND_ERR_HEADERS_TIMEOUT'
          ? 'waiting for the first byte'
          : 'reading the response';
    return new UpstreamFailure('timeout', `upstream timed out while ${phase}`);
  }
  const reset = code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE';
  return new UpstreamFailure('unreachable', reset ? 'upstream closed the connection' : 'upstream is unreachable');
}
