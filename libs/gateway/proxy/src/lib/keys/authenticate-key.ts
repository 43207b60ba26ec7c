import type { IncomingHttpHeaders } from 'node:http';
import type { Endpoint } from '@synapse/gateway/providers';
import type { ActiveKey, CatalogSnapshot } from '../catalog/catalog-snapshot';
import { Errors } from '@synapse/gateway/errors';
import { KeyHashes } from './key-hashes';

/** One memo for the process: a secret's hash does not change with the catalog. */
const keyHashes = new KeyHashes();

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

/**
 * Resolves the caller's key from memory (a hash or a remembered one, a map lookup, no database)
 * and checks that it may be used from `ip` and, when given, for `endpoint`. A rotated key's old
 * secret works until its grace period ends.
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  catalog: CatalogSnapshot,
  ip: string | undefined,
  endpoint?: Endpoint,
  now = Date.now(),
  hashes = keyHashes,
): ActiveKey {
  const secret = presentedKey(headers);
  if (!secret) throw Errors.missingKey();
  const remembered = hashes.remembered(secret);
  const hash = remembered ?? hashes.hash(secret);
  const key = catalog.keyByHash(hash, now);
  if (!key) {
    if (remembered !== undefined) hashes.forget(secret);
    throw Errors.invalidKey();
  }
  if (remembered === undefined) hashes.remember(secret, hash);
  if (key.revoked) throw Errors.revokedKey();
  if (!key.enabled) throw Errors.disabledKey();
  if (key.expiresAt !== null && key.expiresAt <= now) throw Errors.expiredKey();
  if (key.ipAllowed !== null && !key.ipAllowed(ip)) throw Errors.ipNotAllowed();
  if (endpoint !== undefined && key.endpoints !== null && !key.endpoints.has(endpoint)) {
    throw Errors.endpointNotAllowed(endpoint);
  }
  return key;
}
