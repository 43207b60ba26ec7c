import type { KeyLimits } from '@synapse/gateway/persistence';

/** Who a call is counted against. `team` slots in here once keys belong to teams. */
export type ScopeKind = 'key' | 'user';

/** One set of limits a call must fit: its key's, its user's. */
export interface LimitScope {
  kind: ScopeKind;
  /** `key:<id>`, `user:<id>`: the counters' name, the same on every replica. */
  name: string;
  limits: KeyLimits;
}

export function limitScope(kind: ScopeKind, id: string, limits: KeyLimits): LimitScope {
  return { kind, name: `${kind}:${id}`, limits };
}

export function hasBudget(limits: KeyLimits): boolean {
  return limits.dailyBudgetUsd !== undefined || limits.monthlyBudgetUsd !== undefined;
}
