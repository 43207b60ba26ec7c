/** Why an upstream call failed before a complete response arrived. */
export type UpstreamFailureKind = 'timeout' | 'unreachable' | 'client_closed';

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
