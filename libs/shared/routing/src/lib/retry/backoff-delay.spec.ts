import { mulberry32 } from '../random/mulberry32';
import { backoffDelay, type BackoffDecision } from './backoff-delay';

const delayOf = (decision: BackoffDecision): number => {
  if (decision.action !== 'wait') throw new Error(`expected a wait, got ${decision.action}`);
  return decision.delayMs;
};

describe(backoffDelay.name, () => {
  const policy = { backoffMs: 100, maxBackoffMs: 2_000 };

  it('grows exponentially with full jitter: uniform in [0, base * 2^(n-1))', () => {
    const random = mulberry32(20);
    for (const [attempt, ceiling] of [
      [1, 100],
      [2, 200],
      [3, 400],
      [5, 1_600],
    ]) {
      const delays = Array.from({ length: 2_000 }, () => delayOf(backoffDelay(attempt, policy, random)));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeLessThan(ceiling);
      expect(Math.max(...delays)).toBeGreaterThan(ceiling * 0.9);
      const mean = delays.reduce((sum, d) => sum + d, 0) / delays.length;
      expect(Math.abs(mean - ceiling / 2)).toBeLessThan(ceiling * 0.05);
    }
  });

  it('is capped at maxBackoffMs', () => {
    expect(delayOf(backoffDelay(30, policy, () => 0.999))).toBeLessThan(2_000);
    expect(delayOf(backoffDelay(30, policy, () => 0.999))).toBeGreaterThan(1_990);
  });

  it('waits at least the Retry-After when it is within maxRetryAfterMs (default 30 s)', () => {
    expect(delayOf(backoffDelay(1, policy, () => 0.5, 1_500))).toBe(1_500);
    expect(delayOf(backoffDelay(1, policy, () => 0.5, 10))).toBe(50);
    expect(delayOf(backoffDelay(1, policy, () => 0.5, 30_000))).toBe(30_000);
  });

  it('says to skip the target instead of sleeping on a longer Retry-After', () => {
    expect(backoffDelay(1, policy, () => 0.5, 30_001)).toEqual({ action: 'skip-target', retryAfterMs: 30_001 });
    expect(backoffDelay(1, { maxRetryAfterMs: 1_000 }, () => 0.5, 2_000).action).toBe('skip-target');
  });
});
