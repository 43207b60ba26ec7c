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

/**
 * Tells the official SDKs (OpenAI's and Anthropic's read `x-should-retry`) not to retry an error
 * that a retry seconds later cannot mend: a spent budget, a channel's key rejected, a model the
 * upstream does not know, an address the egress policy refuses. By default they retry every 429
 * and 5xx twice, which here only repeats the refusal (and the gateway already tried every target).
 */
export const DO_NOT_RETRY: Readonly<Record<string, string>> = Object.freeze({ 'x-should-retry': 'false' });

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
  /** The route's channel does not offer this API (images from a Gemini channel, moderations from Azure). */
  endpointNotServed: (model: string, endpoint: string) =>
    new GatewayError(
      404,
      'model_not_found',
      `The model '${model}' is not served for ${endpoint} by this gateway: its channel does not offer that API.`,
      { param: 'model' },
    ),
  notFound: (what: string) => new GatewayError(404, 'not_found', what),
  bodyTooLarge: (limit: number) =>
    new GatewayError(413, 'request_too_large', `The request body is larger than the limit of ${limit} bytes.`),
  upstreamUnreachable: (message = 'The upstream could not be reached.') =>
    new GatewayError(502, 'upstream_unreachable', message),
  upstreamInvalidResponse: (message = 'The upstream answered with something the gateway could not read.') =>
    new GatewayError(502, 'upstream_invalid_response', message, { type: 'server_error' }),
  upstreamTimeout: (message = 'The upstream did not answer in time.') =>
    new GatewayError(504, 'upstream_timeout', message),
  /** The address is the operator's to know (it is in the request log), not the caller's. */
  upstreamAddressRefused: () =>
    new GatewayError(
      502,
      'upstream_address_refused',
      "The gateway's egress policy does not allow connecting to the address of this model's upstream; ask the gateway's operator.",
      { headers: DO_NOT_RETRY },
    ),
  rateLimited: (refusal: LimitRefusal) => (isBudget(refusal.kind) ? overBudget(refusal) : overRate(refusal)),
  modelNotPriced: (model: string) =>
    new GatewayError(
      403,
      'model_not_priced',
      `The model '${model}' has no price, and this API key's spend is capped; ask the gateway's operator to price it.`,
      { param: 'model' },
    ),
  unavailable: (message: string) => new GatewayError(503, 'service_unavailable', message),
  /** LIMITS_WHEN_REDIS_DOWN=closed: a call with limits while the shared counters cannot be reached. */
  limitsUnavailable: () =>
    new GatewayError(
      503,
      'limits_unavailable',
      "This API key's limits cannot be checked right now (the gateway's shared state is unreachable); retry shortly.",
      { headers: { 'retry-after': '5' } },
    ),
  routeUnavailable: (model: string) =>
    new GatewayError(
      503,
      'route_unavailable',
      `No upstream can serve the model '${model}' right now; try again shortly.`,
      { headers: { 'retry-after': '1' } },
    ),
  /** MAX_IN_FLIGHT_CALLS reached: shed at once rather than queue without bound. */
  overloaded: () =>
    new GatewayError(503, 'overloaded', 'The gateway is at its capacity of calls in flight; retry shortly.', {
      headers: { 'retry-after': '1' },
    }),
  internal: (requestId: string) =>
    new GatewayError(500, 'internal_error', `The gateway failed to handle the request (request id ${requestId}).`),
};

/** A limit that refused a call: which scope's, which limit, and when to retry. */
export interface LimitRefusal {
  scope: { kind: 'key' | 'user' | 'team' };
  kind: 'requests' | 'tokens' | 'concurrency' | 'daily_budget' | 'monthly_budget';
  limit: number;
  retryAfterSeconds: number;
}

const SCOPE_NAMES: Record<LimitRefusal['scope']['kind'], string> = {
  key: 'This API key',
  user: "This API key's user",
  team: "This API key's team",
};

function isBudget(kind: LimitRefusal['kind']): boolean {
  return kind === 'daily_budget' || kind === 'monthly_budget';
}

/** OpenAI's 429 for rates: type `requests` or `tokens`, with the headers that describe the limit hit. */
function overRate({ scope, kind, limit, retryAfterSeconds }: LimitRefusal): GatewayError {
  const who = SCOPE_NAMES[scope.kind];
  return new GatewayError(
    429,
    'rate_limit_exceeded',
    kind === 'concurrency'
      ? `${who} already has ${limit} requests in flight, its limit; retry when one finishes.`
      : `${who} is over its limit of ${limit} ${kind} per minute; retry in ${retryAfterSeconds} s.`,
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
  );
}

/** OpenAI's 429 for a spent quota: code and type `insufficient_quota`; retry when the period renews. */
function overBudget({ scope, kind, limit, retryAfterSeconds }: LimitRefusal): GatewayError {
  const period = kind === 'daily_budget' ? 'daily' : 'monthly';
  const renews = kind === 'daily_budget' ? 'at 00:00 UTC' : 'on the 1st of the month, 00:00 UTC';
  return new GatewayError(
    429,
    'insufficient_quota',
    `You exceeded your current quota: ${SCOPE_NAMES[scope.kind].replace(/^This/, 'this')} has spent its ${period} budget of $${limit} (USD); it renews ${renews}.`,
    { type: 'insufficient_quota', headers: { 'retry-after': String(retryAfterSeconds), ...DO_NOT_RETRY } },
  );
}

/** An error's body in the format of its path: OpenAI's error object on `/v1`, Nest's usual JSON elsewhere. */
export function errorBodyFor(path: string, error: GatewayError): object {
  if (path.startsWith('/v1')) return error.toBody();
  return { statusCode: error.status, error: error.code, message: error.message };
}
