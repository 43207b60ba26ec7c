import type { SecretBox } from '@synapse/crypto';

/** The HS256 key of admin access tokens (a Buffer). */
export const JWT_SIGNING_KEY = Symbol('JWT_SIGNING_KEY');

/**
 * Derived from the master key, so every replica with the same SYNAPSE_SECRET accepts the same
 * tokens, and rotating the master secret signs everyone out (tokens live 15 minutes anyway).
 */
export function jwtSigningKey(secrets: SecretBox): Buffer {
  return secrets.subkey('admin-jwt-hs256 v1');
}
