import {
  ANTHROPIC_INGRESS,
  AnthropicNativeTap,
  anthropicErrorBody,
  anthropicErrorOf,
  type JsonObject,
} from '@synapse/gateway/providers';
import { Errors, type GatewayError } from '@synapse/gateway/errors';
import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Ingress } from './ingress';

/** The body an Anthropic client receives for a gateway error, and the status it expects with it. */
export function anthropicError(error: GatewayError, requestId: string): { status: number; body: string } {
  const mapped = anthropicErrorOf(error.status);
  return { status: mapped.status, body: JSON.stringify(anthropicErrorBody(mapped.type, error.message, requestId)) };
}

/** Anthropic's Messages API: `anthropic-version` required, errors as `{type:"error", error:{type, message}}`. */
export const ANTHROPIC: Ingress = {
  format: ANTHROPIC_INGRESS,
  endpoint: 'chat.completions',
  checkHeaders(headers) {
    if (headers['anthropic-version']) return undefined;
    return Errors.badRequest('anthropic-version: header is required', null, 'missing_anthropic_version');
  },
  countPath: '/v1/messages/count_tokens',
  // On an `anthropic` channel the caller's request goes as it is (thinking, cache_control, server
  // tools, betas), with the route's model; the answer comes back byte for byte.
  passThrough(body: unknown, headers: IncomingHttpHeaders) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
    const request = body as JsonObject;
    const forwarded: Record<string, string> = {};
    for (const name of ['anthropic-version', 'anthropic-beta']) {
      const value = headers[name];
      if (typeof value === 'string') forwarded[name] = value;
    }
    return {
      channelType: 'anthropic',
      path: '/v1/messages',
      body: request,
      bodyFor: (model: string) => (request['model'] === model ? request : { ...request, model }),
      headers: forwarded,
      tap: () => new AnthropicNativeTap(),
    };
  },
  countRequest(body) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
    return { ...body, max_tokens: 1, stream: false };
  },
  sendError(res: ServerResponse, requestId: string, error: GatewayError, extraHeaders: OutgoingHttpHeaders = {}) {
    const { status, body } = anthropicError(error, requestId);
    res.writeHead(status, {
      ...error.options.headers,
      ...extraHeaders,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'x-request-id': requestId,
      'request-id': requestId,
    });
    res.end(body);
  },
};
