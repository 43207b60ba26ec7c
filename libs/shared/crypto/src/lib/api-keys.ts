import { hash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'sk-';
/** Characters of a key shown in listings, enough to tell keys apart. */
const VISIBLE_PREFIX_LENGTH = 10;

/** A new gateway key: `sk-` followed by 192 random bits. */
export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(24).toString('base64url');
}

/**
 * Keys are long random strings, so a fast unsalted SHA-256 is safe to store and lets the hot path
 * find a key with one map lookup instead of a slow password hash.
 */
export function hashApiKey(secret: string): string {
  // The one-shot hash: a quarter of createHash's time (no Hash object per call; it runs on every call).
  return hash('sha256', secret, 'hex');
}

export function visiblePrefix(secret: string): string {
  return secret.slice(0, VISIBLE_PREFIX_LENGTH);
}

/** What a write-only secret looks like when read back: only its last four characters. */
export function maskSecret(secret: string): string {
  return secret.length <= 4 ? '****' : `****${secret.slice(-4)}`;
}

export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
