import type { CompiledTarget } from '../table/compiled-target';
import { randomAtOrBelow, scoreBuffer } from './lowest-score';
import type { TargetStats, TargetStrategy } from './target-strategy';

/** The candidate with the fewest requests in flight on this replica; ties broken at random. */
export class LeastBusyStrategy implements TargetStrategy {
  readonly name = 'least-busy';
  private loads = new Float64Array(16);

  pick(candidates: readonly CompiledTarget[], stats: TargetStats, random: () => number): CompiledTarget | undefined {
    const loads = (this.loads = scoreBuffer(this.loads, candidates.length));
    let fewest = Infinity;
    for (let i = 0; i < candidates.length; i++) {
      const load = stats.inFlight(candidates[i].id);
      loads[i] = load;
      if (load < fewest) fewest = load;
    }
    return randomAtOrBelow(candidates, loads, fewest, random);
  }
}
