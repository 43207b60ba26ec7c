import type { KeyObject } from 'node:crypto';
import { isSupportedAlgorithm, verifySignature, type JwsAlgorithmName } from './jws';
import { OidcFailure } from './oidc-failure';

/** Clocks of the gateway and the provider may differ this much. */
const CLOCK_SKEW_SECONDS = 60;

export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nonce?: string;
  azp?: string;
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
  [claim: string]: unknown;
}

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  nonce: string;
  /** Epoch seconds; now by default. */
  now?: number;
}

/** Finds the provider's key for a token header; null when the provider has no such key. */
export type KeyLookup = (kid: string | undefined, alg: JwsAlgorithmName) => Promise<KeyObject | null>;

const invalid = (detail: string) => new OidcFailure('invalid_id_token', detail);

/**
 * Verifies an ID token as OpenID Connect Core §3.1.3.7 asks: an asymmetric signature by one of the
 * provider's keys, then issuer, audience (and azp), expiry, issue time and nonce.
 */
export async function verifyIdToken(
  token: string,
  keyFor: KeyLookup,
  expected: IdTokenExpectations,
): Promise<IdTokenClaims> {
  const parts = token.split('.');
  if (parts.length !== 3) throw invalid('not a signed JWT');
  const header = decodeJson(parts[0]);
  if (!header) throw invalid('unreadable header');
  if (!isSupportedAlgorithm(header['alg'])) throw invalid(`algorithm ${String(header['alg'])} not accepted`);
  const kid = typeof header['kid'] === 'string' ? header['kid'] : undefined;
  const key = await keyFor(kid, header['alg']);
  if (!key) throw invalid(`no ${header['alg']} key${kid ? ` with kid ${kid}` : ''} at the provider`);
  if (!verifySignature(header['alg'], key, `${parts[0]}.${parts[1]}`, Buffer.from(parts[2], 'base64url'))) {
    throw invalid('bad signature');
  }
  const claims = decodeJson(parts[1]);
  if (!claims) throw invalid('unreadable claims');
  return checkClaims(claims, expected);
}

function checkClaims(claims: Record<string, unknown>, expected: IdTokenExpectations): IdTokenClaims {
  const now = expected.now ?? Math.floor(Date.now() / 1000);
  const { iss, sub, aud, exp, iat, nbf, nonce, azp } = claims;
  if (iss !== expected.issuer) throw invalid('wrong issuer');
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(expected.clientId)) throw invalid('wrong audience');
  // With several audiences the token must say it was issued to us (Core §3.1.3.7, items 4 and 5).
  if ((audiences.length > 1 || azp !== undefined) && azp !== expected.clientId) throw invalid('wrong azp');
  if (typeof sub !== 'string' || !sub) throw invalid('no subject');
  if (typeof exp !== 'number' || typeof iat !== 'number') throw invalid('no exp or iat');
  if (exp + CLOCK_SKEW_SECONDS <= now) throw new OidcFailure('id_token_expired');
  if (iat - CLOCK_SKEW_SECONDS > now) throw invalid('issued in the future');
  if (typeof nbf === 'number' && nbf - CLOCK_SKEW_SECONDS > now) throw invalid('not yet valid');
  if (nonce !== expected.nonce) throw invalid('wrong nonce');
  return claims as IdTokenClaims;
}

function decodeJson(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString());
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
