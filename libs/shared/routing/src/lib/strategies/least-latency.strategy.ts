import type { CompiledTarget } from '../table/compiled-target';
import { randomAtOrBelow, scoreBuffer } from './lowest-score';
import type { TargetStats, TargetStrategy } from './target-strategy';

export interface LeastLatencyOptions {
  /**
   * Candidates within this fraction of the fastest EWMA count as equally fast and share the traffic
   * at random, so that noise in the averages does not herd every request onto one target. Default 0.1.
   */
  tolerance?: number;
}

/**
 * The candidate with the lowest latency EWMA. Candidates not measured yet go first (chosen at
 * random among them), so that new or recovered targets get measured.
 */
export class LeastLatencyStrategy implements TargetStrategy {
  readonly name = 'least-latency';
  private readonly tolerance: number;
  private latencies = new Float64Array(16);

  constructor(options: LeastLatencyOptions = {}) {
    this.tolerance = options.tolerance ?? 0.1;
  }

  pick(candidates: readonly CompiledTarget[], stats: TargetStats, random: () => number): CompiledTarget | undefined {
    const latencies = (this.latencies = scoreBuffer(this.latencies, candidates.length));
    let fastest = Infinity;
    for (let i = 0; i < candidates.length; i++) {
      // Unmeasured scores -Infinity: below any measured latency, so they are explored first.
      const latency = stats.latencyMs(candidates[i].id) ?? -Infinity;
      latencies[i] = latency;
      if (latency < fastest) fastest = latency;
    }
    const limit = fastest === -Infinity ? fastest : fastest * (1 + this.tolerance);
    return randomAtOrBelow(candidates, latencies, limit, random);
  }
}
