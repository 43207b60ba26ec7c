import { constants, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

interface JwsAlgorithm {
  kty: 'RSA' | 'EC';
  hash: 'sha256' | 'sha384' | 'sha512';
  crv?: 'P-256' | 'P-384';
  pss?: true;
}

/** The asymmetric algorithms an ID token may be signed with; never `none` nor a shared-secret HMAC. */
const ALGORITHMS = {
  RS256: { kty: 'RSA', hash: 'sha256' },
  RS384: { kty: 'RSA', hash: 'sha384' },
  RS512: { kty: 'RSA', hash: 'sha512' },
  PS256: { kty: 'RSA', hash: 'sha256', pss: true },
  ES256: { kty: 'EC', hash: 'sha256', crv: 'P-256' },
  ES384: { kty: 'EC', hash: 'sha384', crv: 'P-384' },
} as const satisfies Record<string, JwsAlgorithm>;

export type JwsAlgorithmName = keyof typeof ALGORITHMS;
export const JWS_ALGORITHMS = Object.keys(ALGORITHMS) as JwsAlgorithmName[];

export function isSupportedAlgorithm(alg: unknown): alg is JwsAlgorithmName {
  return typeof alg === 'string' && Object.hasOwn(ALGORITHMS, alg);
}

/** A JWK as a provider's `jwks_uri` lists it. */
export interface Jwk extends JsonWebKey {
  kid?: string;
  use?: string;
  alg?: string;
}

/**
 * The public key that may verify a signature made with `alg` under `kid`: the key must be a
 * signing key of the algorithm's type (and curve), and name the same algorithm if it names one.
 * Without a kid, only an unambiguous key is taken.
 */
export function selectKey(jwks: readonly Jwk[], kid: string | undefined, alg: JwsAlgorithmName): KeyObject | null {
  const spec: JwsAlgorithm = ALGORITHMS[alg];
  const fits = jwks.filter(
    (jwk) =>
      (kid === undefined || jwk.kid === kid) &&
      jwk.kty === spec.kty &&
      (spec.crv === undefined || jwk.crv === spec.crv) &&
      (jwk.use === undefined || jwk.use === 'sig') &&
      (jwk.alg === undefined || jwk.alg === alg),
  );
  if (fits.length !== 1) return null;
  try {
    const key = createPublicKey({ key: fits[0], format: 'jwk' });
    // Short RSA keys can be factored: refuse them rather than trust what they sign.
    if (spec.kty === 'RSA' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) return null;
    return key;
  } catch {
    return null;
  }
}

/** Checks a JWS signature over `header.payload` (the first two segments, as sent). */
export function verifySignature(alg: JwsAlgorithmName, key: KeyObject, signingInput: string, signature: Buffer) {
  const spec: JwsAlgorithm = ALGORITHMS[alg];
  const options =
    spec.kty === 'EC'
      ? { key, dsaEncoding: 'ieee-p1363' as const }
      : spec.pss
        ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
        : { key };
  try {
    return verify(spec.hash, Buffer.from(signingInput), options, signature);
  } catch {
    return false;
  }
}
