import type { CompiledTarget } from '../table/compiled-target';
import type { StrategyName } from './strategy-name';

/** What the load-aware strategies read; TargetHealth provides it. */
export interface TargetStats {
  inFlight(id: string): number;
  /** EWMA latency; undefined until the target has answered once. */
  latencyMs(id: string): number | undefined;
}

/** Chooses one target of a route. One instance per route, so stateful strategies keep per-route state. */
export interface TargetStrategy {
  readonly name: StrategyName;
  /**
   * `candidates` are the route's targets that may take a request now (not cooling down, not
   * already tried, under their rate limits), in declaration order. The array is reused after the
   * call returns: do not keep it. undefined only when there are no candidates.
   */
  pick(candidates: readonly CompiledTarget[], stats: TargetStats, random: () => number): CompiledTarget | undefined;
}
