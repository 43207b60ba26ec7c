import type { CompiledTarget } from '../table/compiled-target';
import type { TargetStats, TargetStrategy } from './target-strategy';
import { weightedChoice } from './weighted-choice';

const weightOf = (target: CompiledTarget): number => target.weight;

/** Random, in proportion to each candidate's weight. */
export class WeightedStrategy implements TargetStrategy {
  readonly name = 'weighted';

  pick(candidates: readonly CompiledTarget[], _stats: TargetStats, random: () => number): CompiledTarget | undefined {
    return weightedChoice(candidates, weightOf, random);
  }
}
