import { MAX_RETRY_AFTER_MS, parseRetryAfter } from './retry-after';

describe(parseRetryAfter.name, () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 2 ', now)).toBe(2_000);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
  });

  it('reads the three HTTP date forms as time from now, a past date as 0', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Thursday, 01-Jan-26 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Thu Jan  1 00:00:05 2026', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
  });

  it('takes a wait of at most a day: a year or a date in 2099 would cool a target down for good', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(86_400_000);
    expect(parseRetryAfter('86400', now)).toBe(86_400_000);
    expect(parseRetryAfter('99999999999999', now)).toBe(86_400_000);
    expect(parseRetryAfter('Wed, 21 Oct 2099 07:28:00 GMT', now)).toBe(86_400_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:00 GMT', now)).toBe(43_200_000);
  });

  it('gives undefined for absent or malformed values', () => {
    for (const value of [undefined, null, '', 'soon', '-5', '1e3', 'foo 2020', 'Thu, 99 Jan 2026 00:00:30 GMT']) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });
});
