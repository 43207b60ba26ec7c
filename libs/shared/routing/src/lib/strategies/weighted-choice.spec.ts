import { mulberry32 } from '../random/mulberry32';
import { shares, target } from '../testing/strategy-fixtures';
import type { CompiledTarget } from '../table/compiled-target';
import { weightedChoice } from './weighted-choice';

const weightOf = (t: CompiledTarget) => t.weight;

describe(weightedChoice.name, () => {
  it('picks in proportion to weight: 1:2:7 over 10,000 draws within 2 percentage points', () => {
    const items = [target('a', { weight: 1 }), target('b', { weight: 2 }), target('c', { weight: 7 })];
    const random = mulberry32(1);
    const result = shares(() => weightedChoice(items, weightOf, random), 10_000);
    expect(Math.abs(result['a'] - 0.1)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(result['b'] - 0.2)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(result['c'] - 0.7)).toBeLessThanOrEqual(0.02);
  });

  it('never picks an item weighing 0, even at the edges of the random range', () => {
    const items = [target('zero', { weight: 0 }), target('one'), target('tail', { weight: 0 })];
    expect(weightedChoice(items, weightOf, () => 0)?.channelId).toBe('one');
    expect(weightedChoice(items, weightOf, () => 0.999999999)?.channelId).toBe('one');
  });

  it('gives nothing when nothing weighs anything', () => {
    expect(weightedChoice([], weightOf, Math.random)).toBeUndefined();
    expect(weightedChoice([target('a', { weight: 0 })], weightOf, Math.random)).toBeUndefined();
  });
});
