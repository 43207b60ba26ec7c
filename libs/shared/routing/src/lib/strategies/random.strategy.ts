import { randomIndex } from '../random/random-index';
import type { CompiledTarget } from '../table/compiled-target';
import type { TargetStats, TargetStrategy } from './target-strategy';

/** Uniform over the candidates; weights are ignored (that is the weighted strategy). */
export class RandomStrategy implements TargetStrategy {
  readonly name = 'random';

  pick(candidates: readonly CompiledTarget[], _stats: TargetStats, random: () => number): CompiledTarget | undefined {
    return candidates.length === 0 ? undefined : candidates[randomIndex(candidates.length, random)];
  }
}
