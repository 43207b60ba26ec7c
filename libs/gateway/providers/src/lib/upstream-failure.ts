import { EGRESS_REFUSED } from './egress-connector';
import { PROXY_REFUSED } from './tunnel-connector';

/**
 * Why an upstream call failed before a complete response arrived; `refused`: the egress policy kept
 * it from connecting; `invalid_response`: it answered something its translator could not read.
 */
export type UpstreamFailureKind = 'timeout' | 'unreachable' | 'refused' | 'client_closed' | 'invalid_response';

export class UpstreamFailure extends Error {
  constructor(
    readonly kind: UpstreamFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamFailure';
  }
}

/**
 * An answer (or a stream's event) a translator could not read, as the upstream's failure: a
 * translator reads what the upstream sent, so what it cannot read is the target's fault, not the
 * gateway's. The reason (no upstream text in it) goes to the request log.
 */
export function unreadableAnswer(error: unknown): UpstreamFailure {
  if (error instanceof UpstreamFailure) return error;
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new UpstreamFailure('invalid_response', `the upstream's answer could not be read (${reason})`);
}

/** Runs a translation of what the upstream sent; what it cannot read fails as unreadableAnswer. */
export function readingAnswer<T>(translate: () => T): T {
  try {
    return translate();
  } catch (error) {
    throw unreadableAnswer(error);
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
  // Ours too: the proxy's status, never its address (which may hold a password).
  if (code === PROXY_REFUSED) return new UpstreamFailure('unreachable', (error as Error).message);
  if (TIMEOUT_CODES.has(code)) {
    const phase =
      code === 'UND_ERR_CONNECT_TIMEOUT'
        ? 'connecting'
        : code === 'UND_ERR_HEADERS_TIMEOUT'
          ? 'waiting for the first byte'
          : 'reading the response';
    return new UpstreamFailure('timeout', `upstream timed out while ${phase}`);
  }
  const tls = tlsRefusal(code);
  if (tls) return new UpstreamFailure('unreachable', tls);
  const broken = brokenAnswer(code, error as Error | undefined);
  if (broken) return new UpstreamFailure('invalid_response', broken);
  const reset = code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE';
  return new UpstreamFailure('unreachable', reset ? 'upstream closed the connection' : 'upstream is unreachable');
}

/**
 * Whether a call's connection closed or reset before a byte of its answer came, on a connection
 * that had carried an answer before: a kept-alive connection the server closed as idle (uvicorn
 * after 5 s, gunicorn after 2, without a `Keep-Alive: timeout` header to warn) just as the call
 * went out on it. The server never read that call, so it goes again on a new connection. undici
 * says how much the connection had read when it saw the close; a reset says nothing, and is taken
 * as such a close too: a call is sent again once at most (DispatchedCall), never after an answer
 * began.
 */
export function closedWhileIdle(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'ECONNRESET' || code === 'EPIPE') return true;
  if (code !== 'UND_ERR_SOCKET') return false;
  const bytesRead = (error as { socket?: { bytesRead?: number } }).socket?.bytesRead;
  return bytesRead !== undefined && bytesRead > 0;
}

/** OpenSSL's verdicts on a certificate whose issuer is not trusted here. */
const UNTRUSTED_ISSUER = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
]);
/** The others OpenSSL gives on a certificate (Node passes them as the error's code). */
const REFUSED_CERTIFICATE = new Set([
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_REJECTED',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
]);

/**
 * Why TLS with the upstream failed, in words that send an operator to the fix, where the code says:
 * "unreachable" alone sent them to the network when the certificate or the port was the cause.
 */
function tlsRefusal(code: string): string | undefined {
  if (UNTRUSTED_ISSUER.has(code)) {
    return `the upstream's TLS certificate is not from an authority the gateway trusts (${code}): give the gateway its CA with NODE_EXTRA_CA_CERTS`;
  }
  if (code === 'CERT_HAS_EXPIRED') return `the upstream's TLS certificate has expired (${code})`;
  if (code === 'CERT_NOT_YET_VALID')
    return `the upstream's TLS certificate is not valid yet (${code}): check the clocks`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
    return `the upstream's TLS certificate is not for the base URL's host name (${code})`;
  }
  if (REFUSED_CERTIFICATE.has(code)) return `the upstream's TLS certificate was refused (${code})`;
  if (code.startsWith('ERR_SSL_') || code === 'EPROTO') {
    return `the TLS handshake with the upstream failed (${code}): does the base URL's port speak https, or should it be http://?`;
  }
  return undefined;
}

/**
 * An answer that reached the gateway but is not HTTP it can take: the server's fault, not the
 * network's, so it is not reported as "unreachable" (which sends an operator to the network).
 * Only undici's codes go into the message, never the upstream's bytes.
 */
function brokenAnswer(code: string, error: Error | undefined): string | undefined {
  if (code === 'UND_ERR_HEADERS_OVERFLOW') return "the upstream's answer headers are larger than the 16 KiB taken";
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return "the upstream's answer does not match its Content-Length";
  // llhttp's reason ("Expected HTTP/"); the bytes it read are in `data`, left out.
  if (error?.name === 'HTTPParserError')
    return `the upstream's answer is not valid HTTP/1.1: ${error.message.slice(0, 120)}`;
  // undici's words for a 100 Continue or a protocol switch nobody asked for.
  if (code === 'UND_ERR_SOCKET' && (error?.message === 'bad response' || error?.message === 'bad upgrade')) {
    return 'the upstream answered out of turn (a 100 Continue or an upgrade it was not asked for)';
  }
  return undefined;
}
