import type { KeyLimits as StoredLimits, GatewayKey as StoredKey } from '@synapse/gateway/persistence';
import type { GatewayKey } from './models/gateway-key.model';
import type { KeyLimits } from './models/key-limits.model';

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

/** A stored key as the admin API shows it: never its hashes. */
export function toGatewayKeyView(key: StoredKey): GatewayKey {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    models: key.models,
    endpoints: key.endpoints,
    ipAllow: key.ipAllow,
    limits: toLimitsView(key.limits),
    enabled: key.enabled,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    previousValidUntil: key.previousValidUntil,
    userId: key.userId,
    teamId: key.teamId,
    createdAt: key.createdAt,
  };
}
