import { decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey, type ProtectedHeaderParameters } from 'jose';
import { OidcFailure } from './oidc-failure';

/** Clocks of the gateway and the provider may differ this much. */
const CLOCK_SKEW_SECONDS = 60;

/** The asymmetric algorithms an ID token may be signed with; never `none` nor a shared-secret HMAC. */
export const ID_TOKEN_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384'];

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

const invalid = (detail: string) => new OidcFailure('invalid_id_token', detail);

/**
 * Verifies an ID token as OpenID Connect Core §3.1.3.7 asks: an asymmetric signature by one of the
 * provider's keys (`keys` picks it from the token's header), then issuer, audience (and azp), expiry,
 * issue time and nonce. jose checks the signature and the registered claims; azp, nonce and an issue
 * time in the future are OpenID Connect's own rules, checked here.
 */
export async function verifyIdToken(
  token: string,
  keys: JWTVerifyGetKey,
  expected: IdTokenExpectations,
): Promise<IdTokenClaims> {
  if (token.split('.').length !== 3) throw invalid('not a signed JWT');
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw invalid('unreadable header');
  }
  const now = expected.now ?? Math.floor(Date.now() / 1000);
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, keys, {
      algorithms: ID_TOKEN_ALGORITHMS,
      issuer: expected.issuer,
      audience: expected.clientId,
      requiredClaims: ['sub', 'exp', 'iat'],
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: new Date(now * 1000),
    }));
  } catch (error) {
    throw refusal(error, header);
  }
  return checkOpenIdClaims(claims, expected, now);
}

/** The rules jose does not know: they are OpenID Connect's, not JWT's. */
function checkOpenIdClaims(claims: Record<string, unknown>, expected: IdTokenExpectations, now: number) {
  const { sub, aud, iat, nonce, azp } = claims;
  const audiences = Array.isArray(aud) ? aud : [aud];
  // With several audiences the token must say it was issued to us (Core §3.1.3.7, items 4 and 5).
  if ((audiences.length > 1 || azp !== undefined) && azp !== expected.clientId) throw invalid('wrong azp');
  if (typeof sub !== 'string' || !sub) throw invalid('no subject');
  if ((iat as number) - CLOCK_SKEW_SECONDS > now) throw invalid('issued in the future');
  if (nonce !== expected.nonce) throw invalid('wrong nonce');
  return claims as IdTokenClaims;
}

/** What jose refused, as the failure the sign-in flow reports; `detail` (for the log) says which check. */
function refusal(error: unknown, header: ProtectedHeaderParameters): OidcFailure {
  // The provider's keys could not be fetched: provider_unavailable, thrown by the key lookup.
  if (error instanceof OidcFailure) return error;
  if (error instanceof errors.JWTExpired) return new OidcFailure('id_token_expired');
  if (error instanceof errors.JOSEAlgNotAllowed) return invalid(`algorithm ${String(header.alg)} not accepted`);
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JWKSInvalid
  ) {
    return invalid(
      `no ${String(header.alg)} key${typeof header.kid === 'string' ? ` with kid ${header.kid}` : ''} at the provider`,
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalid('bad signature');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return invalid(`no ${error.claim}`);
    if (error.claim === 'iss') return invalid('wrong issuer');
    if (error.claim === 'aud') return invalid('wrong audience');
    return invalid(`${error.claim}: ${error.message}`);
  }
  if (error instanceof errors.JWTInvalid) return invalid('unreadable claims');
  // jose's messages name the check (an RSA key under 2048 bits, a malformed JWS), never the token.
  return invalid(error instanceof Error ? error.message : String(error));
}
