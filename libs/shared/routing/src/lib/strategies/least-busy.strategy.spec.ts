import { TargetHealth } from '../health/target-health';
import { mulberry32 } from '../random/mulberry32';
import { FixedStats, shares, target } from '../testing/strategy-fixtures';
import { LeastBusyStrategy } from './least-busy.strategy';

describe(LeastBusyStrategy.name, () => {
  const [a, b, c] = [target('a'), target('b'), target('c')];

  it('takes the candidate with the fewest requests in flight', () => {
    const stats = new FixedStats({ 'a/m': 5, 'b/m': 0, 'c/m': 3 });
    expect(new LeastBusyStrategy().pick([a, b, c], stats, mulberry32(5))?.channelId).toBe('b');
  });

  it('breaks ties at random: two idle targets share 10,000 picks within 2 percentage points of half', () => {
    const stats = new FixedStats({ 'a/m': 0, 'b/m': 0, 'c/m': 4 });
    const strategy = new LeastBusyStrategy();
    const random = mulberry32(6);
    const result = shares(() => strategy.pick([a, b, c], stats, random), 10_000);
    expect(result['c']).toBeUndefined();
    expect(Math.abs(result['a'] - 0.5)).toBeLessThanOrEqual(0.02);
  });

  it('levels a skewed load: new requests go to the less busy targets until they catch up', () => {
    const health = new TargetHealth();
    for (let i = 0; i < 8; i++) health.begin('a/m');
    for (let i = 0; i < 2; i++) health.begin('b/m');
    const strategy = new LeastBusyStrategy();
    const random = mulberry32(7);
    for (let i = 0; i < 10; i++) health.begin(strategy.pick([a, b, c], health, random)?.id ?? 'none');
    expect([health.inFlight('a/m'), health.inFlight('b/m'), health.inFlight('c/m')]).toEqual([8, 6, 6]);
  });

  it('sends most traffic to the target that finishes requests faster', () => {
    // Each tick every in-flight request finishes with its target's probability; slow ones pile up.
    const health = new TargetHealth();
    const finishRate: Record<string, number> = { 'a/m': 0.1, 'b/m': 0.5 };
    const strategy = new LeastBusyStrategy();
    const random = mulberry32(8);
    const picks: Record<string, number> = { 'a/m': 0, 'b/m': 0 };
    for (let tick = 0; tick < 10_000; tick++) {
      const chosen = strategy.pick([a, b], health, random);
      if (chosen === undefined) throw new Error('no pick');
      picks[chosen.id]++;
      health.begin(chosen.id);
      for (const id of ['a/m', 'b/m']) {
        for (let n = health.inFlight(id); n > 0; n--) if (random() < finishRate[id]) health.end(id);
      }
    }
    expect(picks['b/m'] / 10_000).toBeGreaterThan(0.7);
  });
});
