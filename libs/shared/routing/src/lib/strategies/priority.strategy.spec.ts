import { mulberry32 } from '../random/mulberry32';
import { FixedStats, shares, target } from '../testing/strategy-fixtures';
import { PriorityStrategy } from './priority.strategy';

describe(PriorityStrategy.name, () => {
  const primaryA = target('a', { priority: 10, weight: 1 });
  const primaryB = target('b', { priority: 10, weight: 3 });
  const backup = target('c', { priority: 0, weight: 100 });

  it('uses only the highest tier present, weighted within it (1:3 within 2 percentage points)', () => {
    const strategy = new PriorityStrategy();
    const random = mulberry32(13);
    const result = shares(() => strategy.pick([backup, primaryA, primaryB], new FixedStats(), random), 10_000);
    expect(result['c']).toBeUndefined();
    expect(Math.abs(result['a'] - 0.25)).toBeLessThanOrEqual(0.02);
  });

  it('falls to the next tier only when no candidate of the tier above is left', () => {
    const strategy = new PriorityStrategy();
    const random = mulberry32(14);
    expect(strategy.pick([primaryB, backup], new FixedStats(), random)?.channelId).toBe('b');
    expect(strategy.pick([backup], new FixedStats(), random)?.channelId).toBe('c');
    expect(strategy.pick([], new FixedStats(), random)).toBeUndefined();
  });
});
