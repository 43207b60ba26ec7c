/** The body of every error on `/v1`, exactly as OpenAI sends it. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/**
 * A failure the caller is told about. It carries the HTTP status, OpenAI's error fields and a
 * stable class for the request log; it never carries upstream secrets or internal details.
 */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: {
      type?: string;
      param?: string | null;
      headers?: Record<string, string>;
      /** For the log only, never for the caller: what exactly went wrong upstream. */
      detail?: string;
    } = {},
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  get type(): string {
    return this.options.type ?? (this.status >= 500 ? 'server_error' : 'invalid_request_error');
  }

  toBody(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, param: this.options.param ?? null, code: this.code } };
  }
}

export const Errors = {
  badRequest: (message: string, param: string | null = null, code = 'invalid_request') =>
    new GatewayError(400, code, message, { param }),
  missingKey: () =>
    new GatewayError(
      401,
      'missing_api_key',
      'You didn\'t provide an API key. Send it as "Authorization: Bearer sk-...".',
    ),
  invalidKey: () => new GatewayError(401, 'invalid_api_key', 'Incorrect API key provided.'),
  expiredKey: () => new GatewayError(401, 'expired_api_key', 'This API key has expired.'),
  disabledKey: () => new GatewayError(401, 'disabled_api_key', 'This API key is disabled.'),
  revokedKey: () => new GatewayError(401, 'revoked_api_key', 'This API key has been revoked.'),
  ipNotAllowed: () =>
    new GatewayError(401, 'ip_not_allowed', "This API key may not be used from the caller's IP address."),
  endpointNotAllowed: (endpoint: string) =>
    new GatewayError(403, 'endpoint_not_allowed', `This API key is not allowed to call the endpoint '${endpoint}'.`),
  modelNotAllowed: (model: string) =>
    new GatewayError(403, 'model_not_allowed', `This API key is not allowed to use the model '${model}'.`, {
      param: 'model',
    }),
  modelNotFound: (model: string) =>
    new GatewayError(404, 'model_not_found', `The model '${model}' does not exist or is not served by this gateway.`, {
      param: 'model',
    }),
  notFound: (what: string) => new GatewayError(404, 'not_found', what),
  bodyTooLarge: (limit: number) =>
    new GatewayError(413, 'request_too_large', `The request body is larger than the limit of ${limit} bytes.`),
  upstreamUnreachable: (message = 'The upstream could not be reached.') =>
    new GatewayError(502, 'upstream_unreachable', message),
  upstreamTimeout: (message = 'The upstream did not answer in time.') =>
    new GatewayError(504, 'upstream_timeout', message),
  rateLimited: (kind: 'requests' | 'tokens' | 'concurrency', limit: number, retryAfterSeconds: number) =>
    new GatewayError(
      429,
      'rate_limit_exceeded',
      kind === 'concurrency'
        ? `This API key already has ${limit} requests in flight, its limit; retry when one finishes.`
        : `This API key is over its limit of ${limit} ${kind} per minute; retry in ${retryAfterSeconds} s.`,
      {
        type: kind === 'tokens' ? 'tokens' : 'requests',
        headers: {
          'retry-after': String(retryAfterSeconds),
          ...(kind !== 'concurrency' && {
            [`x-ratelimit-limit-${kind}`]: String(limit),
            [`x-ratelimit-remaining-${kind}`]: '0',
            [`x-ratelimit-reset-${kind}`]: `${retryAfterSeconds}s`,
          }),
        },
      },
    ),
  unavailable: (message: string) => new GatewayError(503, 'service_unavailable', message),
  routeUnavailable: (model: string) =>
    new GatewayError(
      503,
      'route_unavailable',
      `No upstream can serve the model '${model}' right now; try again shortly.`,
    ),
  internal: (requestId: string) =>
    new GatewayError(500, 'internal_error', `The gateway failed to handle the request (request id ${requestId}).`),
};
