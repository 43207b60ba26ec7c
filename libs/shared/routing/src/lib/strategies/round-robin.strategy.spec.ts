import { FixedStats, shares, target } from '../testing/strategy-fixtures';
import { RoundRobinStrategy } from './round-robin.strategy';
import type { TargetStrategy } from './target-strategy';

describe(RoundRobinStrategy.name, () => {
  const stats = new FixedStats();
  const noRandom = (): number => {
    throw new Error('round-robin must not draw random numbers');
  };

  it('takes candidates in order and gives each exactly a quarter of 10,000 picks', () => {
    const strategy: TargetStrategy = new RoundRobinStrategy();
    const candidates = [target('a'), target('b'), target('c'), target('d', { weight: 9 })];
    const firstFive = [1, 2, 3, 4, 5].map(() => strategy.pick(candidates, stats, noRandom)?.channelId);
    expect(firstFive).toEqual(['a', 'b', 'c', 'd', 'a']);
    expect(shares(() => strategy.pick(candidates, stats, noRandom), 10_000)).toEqual({
      a: 0.25,
      b: 0.25,
      c: 0.25,
      d: 0.25,
    });
  });

  it('keeps going when candidates drop out, and gives nothing for none', () => {
    const strategy = new RoundRobinStrategy();
    const all = [target('a'), target('b'), target('c')];
    strategy.pick(all);
    strategy.pick(all);
    expect(strategy.pick([target('a')])?.channelId).toBe('a');
    expect(strategy.pick([])).toBeUndefined();
  });
});
