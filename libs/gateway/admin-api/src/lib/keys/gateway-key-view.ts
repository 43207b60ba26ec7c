import type { GatewayKey as StoredKey } from '@synapse/gateway/persistence';
import { toLimitsView } from '../limits/limits-view';
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
    limits: toLimitsView(key.limits),
    enabled: key.enabled,
    captureBodies: key.captureBodies ?? false,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    previousValidUntil: key.previousValidUntil,
    userId: key.userId,
    teamId: key.teamId,
    createdAt: key.createdAt,
  };
}
