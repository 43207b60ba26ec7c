import { failureReason, type AttemptFailure } from './attempt-failure';
import { isRetryable, shouldRetry } from './should-retry';

const status = (code: number, extra: Partial<AttemptFailure> = {}): AttemptFailure => ({
  kind: 'status',
  status: code,
  ...extra,
});

describe(shouldRetry.name, () => {
  it('retries connection failures, timeouts, 408, 429 and 5xx by default', () => {
    const retried: AttemptFailure[] = [
      { kind: 'connect' },
      { kind: 'timeout' },
      status(408),
      status(429),
      status(500),
      status(503),
    ];
    for (const failure of retried) expect(shouldRetry(failure, 1, {})).toBe(true);
  });

  it('never retries the caller’s own 4xx', () => {
    for (const code of [400, 401, 403, 404, 409, 413, 422]) expect(shouldRetry(status(code), 1, {})).toBe(false);
  });

  it('never retries once bytes reached the caller', () => {
    expect(shouldRetry({ kind: 'timeout', streamStarted: true }, 1, {})).toBe(false);
    expect(shouldRetry(status(502, { streamStarted: true }), 1, {})).toBe(false);
  });

  it('never goes beyond the attempts (default 3, the first try included)', () => {
    expect(shouldRetry(status(502), 2, {})).toBe(true);
    expect(shouldRetry(status(502), 3, {})).toBe(false);
    expect(shouldRetry(status(502), 1, { attempts: 1 })).toBe(false);
  });

  it('retries only the reasons listed in retryOn', () => {
    const policy = { retryOn: ['connect', '429'] as const };
    expect(isRetryable({ kind: 'connect' }, policy)).toBe(true);
    expect(isRetryable(status(429), policy)).toBe(true);
    expect(isRetryable(status(500), policy)).toBe(false);
    expect(isRetryable(status(408), policy)).toBe(false);
  });
});

describe(failureReason.name, () => {
  it('blames the target for 408, 429, 5xx and transport failures, and the request for other statuses', () => {
    expect(failureReason(status(408))).toBe('timeout');
    expect(failureReason(status(429))).toBe('429');
    expect(failureReason(status(599))).toBe('5xx');
    expect(failureReason({ kind: 'connect' })).toBe('connect');
    expect(failureReason(status(400))).toBeUndefined();
    expect(failureReason(status(302))).toBeUndefined();
  });
});
