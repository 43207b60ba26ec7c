import type { KeyLimits } from '@synapse/gateway/persistence';

/** Who a call is counted against: its key, the key's user, the key's team. */
export type ScopeKind = 'key' | 'user' | 'team';

/** One set of limits a call must fit: its key's, its user's or its team's. */
export interface LimitScope {
  kind: ScopeKind;
  /** `key:<id>`, `user:<id>`, `team:<id>`: the counters' name, the same on every replica. */
  name: string;
  limits: KeyLimits;
}

export function limitScope(kind: ScopeKind, id: string, limits: KeyLimits): LimitScope {
  return { kind, name: scopeName(kind, id), limits };
}

/** The name of a scope's counters (UsageLimiter.spend reads them by it). */
export function scopeName(kind: ScopeKind, id: string): string {
  return `${kind}:${id}`;
}

export function hasBudget(limits: KeyLimits): boolean {
  return limits.dailyBudgetUsd !== undefined || limits.monthlyBudgetUsd !== undefined;
}
