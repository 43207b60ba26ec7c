import { normalizeUpstreamError, redactSecrets } from './upstream-error';

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
      null,
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
      'sk-upstream-SECRET-9876',
    );
    expect(error.status).toBe(502);
    expect(JSON.stringify(error.toBody())).not.toContain('SECRET');
    expect(error.code).toBe('upstream_auth_failed');
  });

  it('maps 5xx with a plain-text body to a 502 server_error', () => {
    const error = normalizeUpstreamError(503, 'Service Unavailable', null);
    expect(error.status).toBe(502);
    expect(error.toBody().error).toMatchObject({ type: 'server_error', code: 'upstream_error' });
    expect(error.message).toContain('Service Unavailable');
  });

  it('passes 429 through with its retry-after', () => {
    const error = normalizeUpstreamError(
      429,
      '{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}',
      null,
      '3',
    );
    expect(error.status).toBe(429);
    expect(error.options.headers).toEqual({ 'retry-after': '3' });
  });

  it('reads the error shapes of other servers', () => {
    expect(normalizeUpstreamError(422, '{"detail":"bad field"}', null).message).toBe('bad field');
    expect(normalizeUpstreamError(404, '{"error":"model not loaded"}', null).message).toBe('model not loaded');
  });
});

describe('redactSecrets', () => {
  it('removes the exact secret and anything shaped like a key', () => {
    expect(redactSecrets('token abc123xyz and sk-live-abcdefghijkl', 'abc123xyz')).toBe(
      'token [redacted] and sk-[redacted]',
    );
  });
});
