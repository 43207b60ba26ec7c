import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: a state, a nonce or a PKCE code verifier (43 characters, as RFC 7636 allows). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The S256 code challenge of a verifier (RFC 7636 §4.2). */
export function codeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
