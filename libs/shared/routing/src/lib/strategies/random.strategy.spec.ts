import { mulberry32 } from '../random/mulberry32';
import { FixedStats, shares, target } from '../testing/strategy-fixtures';
import { RandomStrategy } from './random.strategy';

describe(RandomStrategy.name, () => {
  it('is uniform, whatever the weights: 4 targets over 10,000 picks within 2 percentage points of 25%', () => {
    const strategy = new RandomStrategy();
    const candidates = [
      target('a', { weight: 1 }),
      target('b', { weight: 2 }),
      target('c', { weight: 7 }),
      target('d'),
    ];
    const random = mulberry32(2);
    const result = shares(() => strategy.pick(candidates, new FixedStats(), random), 10_000);
    expect(Object.keys(result).sort()).toEqual(['a', 'b', 'c', 'd']);
    for (const share of Object.values(result)) expect(Math.abs(share - 0.25)).toBeLessThanOrEqual(0.02);
  });

  it('gives nothing for no candidates', () => {
    expect(new RandomStrategy().pick([], new FixedStats(), Math.random)).toBeUndefined();
  });
});
