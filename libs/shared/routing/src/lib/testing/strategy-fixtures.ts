import type { TargetStats } from '../strategies/target-strategy';
import type { CompiledTarget } from '../table/compiled-target';

/** Test support: a compiled target with id `${channelId}/m`. */
export function target(
  channelId: string,
  overrides: Partial<Omit<CompiledTarget, 'id' | 'channelId'>> = {},
): CompiledTarget {
  const model = overrides.model ?? 'm';
  return {
    id: `${channelId}/${model}`,
    channelId,
    model,
    weight: 1,
    priority: 0,
    rpm: undefined,
    tpm: undefined,
    ...overrides,
  };
}

/** Test support: stats from plain records keyed by target id. */
export class FixedStats implements TargetStats {
  constructor(
    private readonly loads: Record<string, number> = {},
    private readonly latencies: Record<string, number> = {},
  ) {}

  inFlight(id: string): number {
    return this.loads[id] ?? 0;
  }

  latencyMs(id: string): number | undefined {
    return this.latencies[id];
  }
}

/** Test support: the share of `times` picks that went to each channel, as fractions. */
export function shares(pick: () => CompiledTarget | undefined, times: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < times; i++) {
    const chosen = pick();
    const key = chosen === undefined ? 'none' : chosen.channelId;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([key, count]) => [key, count / times]));
}
