import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { GatewayError } from './gateway-error';

/** Answers with OpenAI's error object; every response carries its request id. */
export function sendError(
  res: ServerResponse,
  requestId: string,
  error: GatewayError,
  extraHeaders: OutgoingHttpHeaders = {},
): void {
  const body = JSON.stringify(error.toBody());
  res.writeHead(error.status, {
    ...error.options.headers,
    ...extraHeaders,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
  });
  res.end(body);
}
