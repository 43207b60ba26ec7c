import { UpstreamFailure } from '@synapse/gateway/providers';
import {
  normalizeUpstreamError,
  redactSecrets,
  secretsToRedact,
  spentCredit,
  unknownModelOrPath,
  upstreamFailureError,
} from './upstream-error';

describe('normalizeUpstreamError', () => {
  it('keeps the status and fields of a caller error from an OpenAI-shaped body', () => {
    const error = normalizeUpstreamError(
      400,
      JSON.stringify({
        error: {
          message: 'context too long',
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      }),
      [],
    );
    expect(error.status).toBe(400);
    expect(error.toBody()).toEqual({
      error: {
        message: 'context too long',
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    });
  });

  it('turns a rejected channel key into 502 and never repeats the key', () => {
    const error = normalizeUpstreamError(
      401,
      JSON.stringify({
        error: { message: 'Incorrect API key provided: sk-upstream-SECRET-9876.', code: 'invalid_api_key' },
      }),
      ['sk-upstream-SECRET-9876'],
    );
    expect(error.status).toBe(502);
    expect(JSON.stringify(error.toBody())).not.toContain('SECRET');
    expect(error.code).toBe('upstream_auth_failed');
    // No SDK retry can mend a rejected key.
    expect(error.options.headers).toEqual({ 'x-should-retry': 'false' });
  });

  it('takes a redirect for a channel to fix (502), and repeats nothing of its body', () => {
    const error = normalizeUpstreamError(
      301,
      '<html>Moved to https://api.example.com/v1 sk-upstream-SECRET</html>',
      [],
    );
    expect(error.status).toBe(502);
    expect(error.toBody().error).toMatchObject({ code: 'upstream_redirect', type: 'server_error' });
    expect(error.message).toBe(
      "The upstream answered with status 301 instead of an answer; check the channel's base URL.",
    );
  });

  it("takes a 404 for a model the operator named for the channel's to fix (502), the upstream's words kept, the key not", () => {
    const body = JSON.stringify({
      error: { message: 'The model `gpt-4o-2099` does not exist (key sk-upstream-SECRET-1)', code: 'model_not_found' },
    });
    const error = normalizeUpstreamError(404, body, ['sk-upstream-SECRET-1'], undefined, true);
    expect(error.status).toBe(502);
    expect(error.toBody().error).toMatchObject({ code: 'upstream_not_found', type: 'server_error' });
    expect(error.message).toContain("check the route's target model and the channel's base URL");
    expect(error.message).toContain('The model `gpt-4o-2099` does not exist');
    expect(error.message).not.toContain('SECRET');
    expect(error.options.headers).toEqual({ 'x-should-retry': 'false' });
    // A name the caller chose (passed through) that the upstream does not know is the caller's.
    expect(normalizeUpstreamError(404, body, [], undefined, false)).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
  });

  it.each([
    [
      'DeepSeek',
      '{"error":{"message":"Model Not Exist","type":"invalid_request_error","param":null,"code":"invalid_request_error"}}',
    ],
    ['OpenRouter', '{"error":{"message":"deepseek/deepseek-chatt is not a valid model ID","code":400}}'],
    [
      'Mistral',
      '{"object":"error","message":"Invalid model: mistral-larg","type":"invalid_model","param":null,"code":"1500"}',
    ],
    [
      'LiteLLM',
      '{"error":{"message":"400: Invalid model name passed in model=gpt-4oo","type":"None","param":"None","code":"400"}}',
    ],
    [
      'vLLM',
      '{"object":"error","message":"The model `llama-3-8b` does not exist.","type":"NotFoundError","param":null,"code":404}',
    ],
  ])(
    "reads %s's 400 for a model it does not have as an unknown model: the operator's when the route named it",
    (_, body) => {
      expect(unknownModelOrPath(400, body)).toBe(true);
      expect(normalizeUpstreamError(400, body, [], undefined, true)).toMatchObject({
        status: 502,
        code: 'upstream_not_found',
      });
      expect(normalizeUpstreamError(400, body, [], undefined, false).status).toBe(400);
    },
  );

  it("leaves a caller's 400 that mentions the model as the caller's", () => {
    for (const body of [
      '{"error":{"message":"This model\'s maximum context length is 8192 tokens. However, you requested 9000 tokens.","code":"context_length_exceeded"}}',
      '{"error":{"message":"This model does not support the \'tools\' parameter.","code":"invalid_request_error"}}',
      '{"error":{"message":"Invalid \'messages[0].content\': string too long.","code":"string_above_max_length"}}',
    ]) {
      expect(unknownModelOrPath(400, body)).toBe(false);
      expect(normalizeUpstreamError(400, body, [], undefined, true).status).toBe(400);
    }
  });

  it('keeps a 429 retryable by the SDKs under a minute of Retry-After, and tells them not to past it', () => {
    const body = JSON.stringify({ error: { message: 'Quota exceeded for the day', code: 'rate_limit_exceeded' } });
    expect(normalizeUpstreamError(429, body, [], '20').options.headers).toEqual({ 'retry-after': '20' });
    expect(normalizeUpstreamError(429, body, []).options.headers).toEqual({});
    expect(normalizeUpstreamError(429, body, [], '3600').options.headers).toEqual({
      'retry-after': '3600',
      'x-should-retry': 'false',
    });
  });

  it.each([
    [
      'DeepSeek',
      402,
      '{"error":{"message":"Insufficient Balance","type":"unknown_error","param":null,"code":"invalid_request_error"}}',
    ],
    [
      'OpenRouter',
      402,
      '{"error":{"message":"Insufficient credits. Add more using https://openrouter.ai/settings/credits","code":402}}',
    ],
    [
      'OpenAI',
      429,
      '{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}',
    ],
    [
      'Anthropic',
      400,
      '{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}',
    ],
    [
      'Dify',
      400,
      '{"code":"provider_quota_exceeded","message":"Your quota for Dify Hosted Model Provider has been exhausted.","status":400}',
    ],
  ])(
    "takes %s's answer for a channel whose credit is spent for the channel's to fix (502), not the caller's",
    (_, status, body) => {
      expect(spentCredit(status, body)).toBe(true);
      const error = normalizeUpstreamError(status, body, []);
      expect([error.status, error.code, error.type]).toEqual([502, 'upstream_quota_exhausted', 'server_error']);
      expect(error.message).toMatch(
        /^The upstream refused the channel's account: its credit or quota is spent \(\d{3}\): \S/,
      );
      expect(error.options.headers).toEqual({ 'x-should-retry': 'false' });
    },
  );

  it('leaves the rate limits and the caller errors that are not about credit as they were', () => {
    const rate =
      '{"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}}';
    expect(spentCredit(429, rate)).toBe(false);
    expect(normalizeUpstreamError(429, rate, []).code).toBe('rate_limit_exceeded');
    const context = '{"error":{"message":"context too long","code":"context_length_exceeded"}}';
    expect(spentCredit(400, context)).toBe(false);
    expect(normalizeUpstreamError(400, context, []).status).toBe(400);
  });

  it('says the status when the upstream error says nothing (an empty or blank message)', () => {
    for (const body of ['{"error": ""}', '{"error": {"message": "  "}}', '{"message": ""}', '']) {
      expect(normalizeUpstreamError(404, body, []).message).toBe('upstream answered with status 404');
    }
  });

  it('maps 5xx with a plain-text body to a 502 server_error', () => {
    const error = normalizeUpstreamError(503, 'Service Unavailable', []);
    expect(error.status).toBe(502);
    expect(error.toBody().error).toMatchObject({ type: 'server_error', code: 'upstream_error' });
    expect(error.message).toContain('Service Unavailable');
  });

  it('passes 429 through with its retry-after', () => {
    const error = normalizeUpstreamError(
      429,
      '{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}',
      [],
      '3',
    );
    expect(error.status).toBe(429);
    expect(error.options.headers).toEqual({ 'retry-after': '3' });
  });

  it('reads the error shapes of other servers', () => {
    expect(normalizeUpstreamError(422, '{"detail":"bad field"}', []).message).toBe('bad field');
    expect(normalizeUpstreamError(404, '{"error":"model not loaded"}', []).message).toBe('model not loaded');
  });

  it("reads FastAPI's validation errors (a list under detail) as where and what, not as JSON text", () => {
    const body = JSON.stringify({
      detail: [
        { type: 'missing', loc: ['body', 'messages'], msg: 'Field required', input: { model: 'm' } },
        { type: 'float_type', loc: ['body', 'temperature'], msg: 'Input should be a valid number' },
      ],
    });
    expect(normalizeUpstreamError(422, body, []).message).toBe(
      'body.messages: Field required; body.temperature: Input should be a valid number',
    );
  });

  it("gives a proxy's or load balancer's error page by its title, not its markup", () => {
    const nginx =
      '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n';
    expect(normalizeUpstreamError(413, nginx, []).message).toBe(
      'the upstream answered a web page: 413 Request Entity Too Large',
    );
    const cloudflare =
      '<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<title>api.example.com | 502: Bad gateway</title><style>body{}</style></head><body><h1>Bad gateway</h1></body></html>';
    expect(normalizeUpstreamError(502, cloudflare, []).message).toBe(
      'The upstream failed (status 502): the upstream answered a web page: api.example.com | 502: Bad gateway',
    );
    // Without a title: its first heading, else its text.
    expect(
      normalizeUpstreamError(503, '<html><body><h1>Service\n  Unavailable</h1><p>x</p></body></html>', []).message,
    ).toBe('The upstream failed (status 503): the upstream answered a web page: Service Unavailable');
    expect(normalizeUpstreamError(400, '<p>No &amp; <b>way</b></p>', []).message).toBe(
      'the upstream answered a web page: No & way',
    );
  });
});

describe('redactSecrets', () => {
  it('removes the exact secrets and anything shaped like a key', () => {
    expect(redactSecrets('token abc123xyz and sk-live-abcdefghijkl', ['abc123xyz'])).toBe(
      'token [redacted] and sk-[redacted]',
    );
  });

  it('removes every occurrence of every secret', () => {
    expect(redactSecrets('a=hdr-one b=key-two a=hdr-one', ['hdr-one', 'key-two'])).toBe(
      'a=[redacted] b=[redacted] a=[redacted]',
    );
  });
});

describe('secretsToRedact', () => {
  it('lists the key and every header value, with their escaped and encoded forms, longest first', () => {
    const secrets = secretsToRedact('key-0123', { 'api-key': 'hdr "secret"/value', 'x-org': 'org-7' });
    expect(secrets).toEqual([
      'hdr%20%22secret%22%2Fvalue',
      'hdr \\"secret\\"/value',
      'hdr "secret"/value',
      'key-0123',
      'org-7',
    ]);
  });

  it('leaves out values too short to be secrets, and a missing key', () => {
    expect(secretsToRedact(null, { 'x-a': 'yes', 'x-b': 'long-enough' })).toEqual(['long-enough']);
  });
});

describe('normalizeUpstreamError with sealed header values', () => {
  const secrets = secretsToRedact('sk-upstream-key-0000', { 'api-key': 'hdr-secret-value-123' });

  it.each([401, 400, 429, 500])('never repeats a header value an upstream echoes (status %i)', (status) => {
    const body = JSON.stringify({
      error: {
        message: 'Access denied for api-key hdr-secret-value-123',
        type: 'hdr-secret-value-123',
        code: 'bad_key_hdr-secret-value-123',
        param: 'hdr-secret-value-123',
      },
    });
    const error = normalizeUpstreamError(status, body, secrets);
    expect(JSON.stringify(error.toBody())).not.toContain('hdr-secret-value-123');
    expect(error.message).toContain('Access denied for api-key [redacted]');
  });

  it('redacts a plain-text body too', () => {
    const error = normalizeUpstreamError(502, 'bad gateway for header hdr-secret-value-123', secrets);
    expect(error.message).toBe('The upstream failed (status 502): bad gateway for header [redacted]');
  });
});

describe('upstreamFailureError', () => {
  it.each([
    ['timeout', 504, 'upstream_timeout'],
    ['unreachable', 502, 'upstream_unreachable'],
    ['refused', 502, 'upstream_address_refused'],
  ] as const)('answers a %s failure with %i %s and keeps the reason for the log', (kind, status, code) => {
    const error = upstreamFailureError(new UpstreamFailure(kind, `why: ${kind}`));
    expect(error).toMatchObject({ status, code });
    expect(error.options.detail).toBe(`why: ${kind}`);
    expect(error.message).not.toContain('why');
  });
});
