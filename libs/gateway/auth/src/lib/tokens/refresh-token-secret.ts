import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url (43 characters). Opaque: it means something only to the table that holds its hash. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What the table stores instead of the token (hex). A plain SHA-256 is enough for 256 random bits:
 * unlike a password, the token cannot be guessed from a dictionary.
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
