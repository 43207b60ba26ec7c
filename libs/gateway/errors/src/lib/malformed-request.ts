import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBodyFor, GatewayError } from './gateway-error';

/** What Node's HTTP parser reports on a request it could not read (its `clientError` event). */
export interface ClientError extends Error {
  code?: string;
  /** The parser's own words, e.g. "Content-Length can't be present with Transfer-Encoding". */
  reason?: string;
  /** The bytes being parsed when it failed (a Buffer); they start with the request line when it was read. */
  rawPacket?: unknown;
}

const REQUEST_LINE = /^[A-Z]+ (\S+) HTTP\/1\.[01]\r?\n/;

/** The error for a request Node could not parse, or that did not arrive within the server's timeouts. */
export function malformedRequestError(error: ClientError): GatewayError {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new GatewayError(408, 'request_timeout', 'The request did not arrive in full in time; send it again.');
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return new GatewayError(431, 'headers_too_large', "The request's headers are larger than the server accepts.");
  }
  const reason = error.reason ? `: ${error.reason}` : '';
  return new GatewayError(400, 'malformed_request', `The request is not valid HTTP/1.1${reason}.`);
}

/**
 * Answers a request Node could not parse in the error format of its path (OpenAI's object on
 * `/v1`, Nest's JSON elsewhere, and for a timeout, whose path Node does not give), then closes the
 * connection: Fastify's own answer was `{"message":"Client Error"}` on every path. Nothing is
 * logged: such requests never reach a route.
 */
export function answerMalformedRequest(error: ClientError, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const gatewayError = malformedRequestError(error);
    const raw = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.toString('latin1', 0, 2048) : '';
    const path = REQUEST_LINE.exec(raw)?.[1] ?? '';
    const body = JSON.stringify(errorBodyFor(path, gatewayError));
    socket.write(
      `HTTP/1.1 ${gatewayError.status} ${STATUS_CODES[gatewayError.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
