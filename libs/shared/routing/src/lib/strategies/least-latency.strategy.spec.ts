import { TargetHealth } from '../health/target-health';
import { mulberry32 } from '../random/mulberry32';
import { FixedStats, shares, target } from '../testing/strategy-fixtures';
import { LeastLatencyStrategy } from './least-latency.strategy';

describe(LeastLatencyStrategy.name, () => {
  const [a, b, c] = [target('a'), target('b'), target('c')];

  it('takes the fastest measured candidate', () => {
    const stats = new FixedStats({}, { 'a/m': 300, 'b/m': 100, 'c/m': 250 });
    const strategy = new LeastLatencyStrategy();
    const random = mulberry32(9);
    expect(shares(() => strategy.pick([a, b, c], stats, random), 1_000)).toEqual({ b: 1 });
  });

  it('explores unmeasured candidates first', () => {
    const stats = new FixedStats({}, { 'a/m': 10, 'b/m': 100 });
    expect(new LeastLatencyStrategy().pick([a, b, c], stats, mulberry32(10))?.channelId).toBe('c');
  });

  it('shares traffic at random between candidates within the tolerance of the fastest', () => {
    const stats = new FixedStats({}, { 'a/m': 100, 'b/m': 105, 'c/m': 200 });
    const strategy = new LeastLatencyStrategy({ tolerance: 0.1 });
    const random = mulberry32(11);
    const result = shares(() => strategy.pick([a, b, c], stats, random), 10_000);
    expect(result['c']).toBeUndefined();
    expect(Math.abs(result['a'] - 0.5)).toBeLessThanOrEqual(0.02);
  });

  it('learns from simulated latencies: measures every target, then sends nearly all traffic to the fast one', () => {
    const health = new TargetHealth();
    const strategy = new LeastLatencyStrategy();
    const random = mulberry32(12);
    const meanLatency: Record<string, number> = { 'a/m': 200, 'b/m': 50, 'c/m': 120 };
    const picks: Record<string, number> = { 'a/m': 0, 'b/m': 0, 'c/m': 0 };
    for (let i = 0; i < 1_000; i++) {
      const chosen = strategy.pick([a, b, c], health, random);
      if (chosen === undefined) throw new Error('no pick');
      picks[chosen.id]++;
      // ±20% noise around each target's mean
      health.recordSuccess(chosen.id, meanLatency[chosen.id] * (0.8 + 0.4 * random()));
    }
    expect(picks['a/m']).toBeGreaterThanOrEqual(1);
    expect(picks['c/m']).toBeGreaterThanOrEqual(1);
    expect(picks['b/m'] / 1_000).toBeGreaterThan(0.95);
  });
});
