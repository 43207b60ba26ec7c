import type { CompiledTarget } from '../table/compiled-target';
import type { TargetStats, TargetStrategy } from './target-strategy';
import { weightedChoice } from './weighted-choice';

/**
 * Failover by tiers: only candidates of the highest priority present are used (weighted within the
 * tier). A lower tier takes traffic only when every target above it is unavailable, which the
 * planner expresses by leaving them out of the candidates.
 */
export class PriorityStrategy implements TargetStrategy {
  readonly name = 'priority';
  private tier = 0;
  private readonly weightInTier = (target: CompiledTarget): number =>
    target.priority === this.tier ? target.weight : 0;

  pick(candidates: readonly CompiledTarget[], _stats: TargetStats, random: () => number): CompiledTarget | undefined {
    if (candidates.length === 0) return undefined;
    let top = -Infinity;
    for (let i = 0; i < candidates.length; i++) if (candidates[i].priority > top) top = candidates[i].priority;
    this.tier = top;
    return weightedChoice(candidates, this.weightInTier, random);
  }
}
