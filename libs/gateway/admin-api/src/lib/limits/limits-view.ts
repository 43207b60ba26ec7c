import type { KeyLimits as StoredLimits } from '@synapse/gateway/persistence';
import type { KeyLimits } from './limits.model';

/** Limits as the admin API shows them (of a key, a user or a team): every cap, null when not set. */
export function toLimitsView(limits: StoredLimits | null | undefined): KeyLimits | null {
  if (!limits) return null;
  return {
    rpm: limits.rpm ?? null,
    tpm: limits.tpm ?? null,
    concurrency: limits.concurrency ?? null,
    dailyBudgetUsd: limits.dailyBudgetUsd ?? null,
    monthlyBudgetUsd: limits.monthlyBudgetUsd ?? null,
    maxTokensPerCall: limits.maxTokensPerCall ?? null,
    maxChoicesPerCall: limits.maxChoicesPerCall ?? null,
  };
}
