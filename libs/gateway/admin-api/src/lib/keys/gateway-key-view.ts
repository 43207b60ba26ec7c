import type { GatewayKey as StoredKey } from '@synapse/gateway/persistence';
import type { GatewayKey } from './models/gateway-key.model';

/** A stored key as the admin API shows it: never its hashes. */
export function toGatewayKeyView(key: StoredKey): GatewayKey {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    models: key.models,
    endpoints: key.endpoints,
    ipAllow: key.ipAllow,
    limits: key.limits
      ? {
          rpm: key.limits.rpm ?? null,
          tpm: key.limits.tpm ?? null,
          concurrency: key.limits.concurrency ?? null,
          dailyBudgetUsd: key.limits.dailyBudgetUsd ?? null,
          monthlyBudgetUsd: key.limits.monthlyBudgetUsd ?? null,
        }
      : null,
    enabled: key.enabled,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    previousValidUntil: key.previousValidUntil,
    userId: key.userId,
    createdAt: key.createdAt,
  };
}
