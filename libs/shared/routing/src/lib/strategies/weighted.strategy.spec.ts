import { mulberry32 } from '../random/mulberry32';
import { FixedStats, shares, target } from '../testing/strategy-fixtures';
import { WeightedStrategy } from './weighted.strategy';

describe(WeightedStrategy.name, () => {
  it('follows weights 1:2:7 over 10,000 picks within 2 percentage points', () => {
    const strategy = new WeightedStrategy();
    const candidates = [target('a', { weight: 1 }), target('b', { weight: 2 }), target('c', { weight: 7 })];
    const random = mulberry32(3);
    const result = shares(() => strategy.pick(candidates, new FixedStats(), random), 10_000);
    expect(Math.abs(result['a'] - 0.1)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(result['b'] - 0.2)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(result['c'] - 0.7)).toBeLessThanOrEqual(0.02);
  });

  it('renormalises over the candidates left: 2:7 when the first target is out', () => {
    const strategy = new WeightedStrategy();
    const candidates = [target('b', { weight: 2 }), target('c', { weight: 7 })];
    const random = mulberry32(4);
    const result = shares(() => strategy.pick(candidates, new FixedStats(), random), 10_000);
    expect(Math.abs(result['b'] - 2 / 9)).toBeLessThanOrEqual(0.02);
  });
});
