import type { CompiledTarget } from '../table/compiled-target';
import type { TargetStrategy } from './target-strategy';

/** Each candidate in turn. When some targets drop out the cursor simply walks the shorter list. */
export class RoundRobinStrategy implements TargetStrategy {
  readonly name = 'round-robin';
  private cursor = 0;

  pick(candidates: readonly CompiledTarget[]): CompiledTarget | undefined {
    const count = candidates.length;
    if (count === 0) return undefined;
    const index = this.cursor % count;
    this.cursor = index + 1;
    return candidates[index];
  }
}
