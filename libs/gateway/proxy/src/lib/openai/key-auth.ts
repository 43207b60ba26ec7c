import type { IncomingHttpHeaders } from 'node:http';
import { hashApiKey } from '@synapse/crypto';
import type { ActiveKey, CatalogSnapshot } from '../catalog/catalog-snapshot';
import { Errors } from '../errors/gateway-error';

/** The gateway key from `Authorization: Bearer`, `x-api-key` or Azure-style `api-key`. */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers['authorization'];
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization);
    return match ? match[1].trim() : undefined;
  }
  const header = headers['x-api-key'] ?? headers['api-key'];
  return typeof header === 'string' && header ? header.trim() : undefined;
}

/** Resolves the caller's key from memory: one hash, one map lookup, no database. */
export function authenticate(headers: IncomingHttpHeaders, catalog: CatalogSnapshot, now = Date.now()): ActiveKey {
  const secret = presentedKey(headers);
  if (!secret) throw Errors.missingKey();
  const key = catalog.keyByHash(hashApiKey(secret));
  if (!key) throw Errors.invalidKey();
  if (!key.enabled) throw Errors.disabledKey();
  if (key.expiresAt !== null && key.expiresAt <= now) throw Errors.expiredKey();
  return key;
}
