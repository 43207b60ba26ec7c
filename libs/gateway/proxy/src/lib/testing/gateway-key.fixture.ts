import type { GatewayKey } from '@synapse/gateway/persistence';

/** A stored key with no restriction at all; tests override what they are about. */
export function gatewayKey(overrides: Partial<GatewayKey> = {}): GatewayKey {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    id: 'k1',
    name: 'k1',
    prefix: 'sk-abc',
    hash: 'h1',
    models: ['*'],
    endpoints: null,
    ipAllow: null,
    limits: null,
    enabled: true,
    expiresAt: null,
    previousHash: null,
    previousValidUntil: null,
    revokedAt: null,
    userId: null,
    teamId: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
