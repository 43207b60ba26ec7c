import { createLocalJWKSet, type JWK } from 'jose';
import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { verifyIdToken, type IdTokenExpectations } from './id-token';
import { OidcFailure } from './oidc-failure';

const ISSUER = 'https://id.example.com';
const EXPECTED: IdTokenExpectations = { issuer: ISSUER, clientId: 'synapse', nonce: 'n-1' };

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const JWKS: JWK[] = [
  { ...(rsa.publicKey.export({ format: 'jwk' }) as JWK), kid: 'rsa-1', use: 'sig' },
  { ...(ec.publicKey.export({ format: 'jwk' }) as JWK), kid: 'ec-1' },
];

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function idToken(claims: Record<string, unknown>, header: Record<string, unknown> = {}, key?: KeyObject): string {
  const alg = (header['alg'] as string | undefined) ?? 'RS256';
  const head = { alg, kid: alg === 'ES256' ? 'ec-1' : 'rsa-1', ...header };
  const now = Math.floor(Date.now() / 1000);
  const body = { iss: ISSUER, aud: 'synapse', sub: 'user-1', iat: now, exp: now + 300, nonce: 'n-1', ...claims };
  const input = `${b64(head)}.${b64(body)}`;
  const signature =
    alg === 'ES256'
      ? sign('sha256', Buffer.from(input), { key: key ?? ec.privateKey, dsaEncoding: 'ieee-p1363' })
      : alg === 'PS256'
        ? sign('sha256', Buffer.from(input), {
            key: key ?? rsa.privateKey,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
          })
        : sign('sha256', Buffer.from(input), key ?? rsa.privateKey);
  return `${input}.${signature.toString('base64url')}`;
}

const lookup = createLocalJWKSet({ keys: JWKS });

async function refusal(token: string, expected = EXPECTED, keys = lookup): Promise<string> {
  const error = await verifyIdToken(token, keys, expected).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OidcFailure);
  return `${(error as OidcFailure).code}: ${(error as OidcFailure).detail ?? ''}`;
}

describe(verifyIdToken.name, () => {
  it('accepts RS256 and ES256 tokens signed by the provider, with their claims', async () => {
    await expect(verifyIdToken(idToken({ email: 'a@example.com' }), lookup, EXPECTED)).resolves.toMatchObject({
      sub: 'user-1',
      email: 'a@example.com',
    });
    await expect(verifyIdToken(idToken({}, { alg: 'ES256' }), lookup, EXPECTED)).resolves.toMatchObject({
      sub: 'user-1',
    });
  });

  it('refuses a token signed by another key, even under the right kid', async () => {
    expect(await refusal(idToken({}, {}, stranger.privateKey))).toBe('invalid_id_token: bad signature');
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const [header, , signature] = idToken({ email: 'a@example.com' }).split('.');
    const forged = `${header}.${b64({ iss: ISSUER, aud: 'synapse', sub: 'admin', exp: 9e9, iat: 1, nonce: 'n-1' })}`;
    expect(await refusal(`${forged}.${signature}`)).toBe('invalid_id_token: bad signature');
  });

  it('refuses alg none, HMAC, and a key of another type', async () => {
    const [, body] = idToken({}).split('.');
    expect(await refusal(`${b64({ alg: 'none' })}.${body}.`)).toBe('invalid_id_token: algorithm none not accepted');
    expect(await refusal(`${b64({ alg: 'HS256', kid: 'rsa-1' })}.${body}.c2ln`)).toMatch(/HS256 not accepted/);
    expect(await refusal(idToken({}, { alg: 'ES256', kid: 'rsa-1' }))).toMatch(/no ES256 key with kid rsa-1/);
  });

  it('refuses an expired token as expired, and a wrong issuer, audience, azp or nonce as invalid', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    expect(await refusal(idToken({ iat: past, exp: past + 300 }))).toBe('id_token_expired: ');
    expect(await refusal(idToken({ iss: 'https://evil.example.com' }))).toBe('invalid_id_token: wrong issuer');
    expect(await refusal(idToken({ aud: 'another-client' }))).toBe('invalid_id_token: wrong audience');
    expect(await refusal(idToken({ aud: ['synapse', 'other'] }))).toBe('invalid_id_token: wrong azp');
    expect(await refusal(idToken({ nonce: 'replayed' }))).toBe('invalid_id_token: wrong nonce');
    expect(await refusal(idToken({ nonce: undefined }))).toBe('invalid_id_token: wrong nonce');
  });

  it('accepts several audiences when azp names the client', async () => {
    const token = idToken({ aud: ['synapse', 'other'], azp: 'synapse' });
    await expect(verifyIdToken(token, lookup, EXPECTED)).resolves.toMatchObject({ azp: 'synapse' });
  });

  it('refuses malformed tokens without throwing anything but an OidcFailure', async () => {
    expect(await refusal('not-a-jwt')).toBe('invalid_id_token: not a signed JWT');
    expect(await refusal('a.b.c')).toBe('invalid_id_token: unreadable header');
  });
});

describe('the key an ID token is verified with', () => {
  const only = (...keys: JWK[]) => createLocalJWKSet({ keys });

  it('accepts PS256 with an RSA key', async () => {
    await expect(verifyIdToken(idToken({}, { alg: 'PS256' }), lookup, EXPECTED)).resolves.toMatchObject({
      sub: 'user-1',
    });
  });

  it('refuses RSA keys shorter than 2048 bits, keys meant for encryption, and keys of another algorithm', async () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const short = { ...(weak.publicKey.export({ format: 'jwk' }) as JWK), kid: 'k' };
    expect(await refusal(idToken({}, { kid: 'k' }, weak.privateKey), EXPECTED, only(short))).toMatch(
      /^invalid_id_token: RS256 requires key modulusLength to be 2048 bits or larger/,
    );
    expect(await refusal(idToken({}), EXPECTED, only({ ...JWKS[0], use: 'enc' }))).toBe(
      'invalid_id_token: no RS256 key with kid rsa-1 at the provider',
    );
    expect(await refusal(idToken({}), EXPECTED, only({ ...JWKS[0], alg: 'PS256' }))).toBe(
      'invalid_id_token: no RS256 key with kid rsa-1 at the provider',
    );
  });

  it('takes a key without kid only when one key fits', async () => {
    await expect(verifyIdToken(idToken({}, { alg: 'ES256', kid: undefined }), lookup, EXPECTED)).resolves.toMatchObject(
      { sub: 'user-1' },
    );
    expect(await refusal(idToken({}, { kid: undefined }), EXPECTED, only(JWKS[0], { ...JWKS[0], kid: 'rsa-2' }))).toBe(
      'invalid_id_token: no RS256 key at the provider',
    );
  });
});

describe('the claims of an ID token', () => {
  const now = Math.floor(Date.now() / 1000);

  it('allows 60 seconds of clock skew on exp, iat and nbf, and no more', async () => {
    const skewed = idToken({ iat: now + 50, nbf: now + 50, exp: now - 50 });
    await expect(verifyIdToken(skewed, lookup, EXPECTED)).resolves.toMatchObject({ sub: 'user-1' });
    expect(await refusal(idToken({ exp: now - 61 }))).toBe('id_token_expired: ');
    expect(await refusal(idToken({ iat: now + 120 }))).toBe('invalid_id_token: issued in the future');
    expect(await refusal(idToken({ nbf: now + 120 }))).toMatch(/^invalid_id_token: nbf/);
  });

  it('refuses a token without subject, expiry or issue time', async () => {
    expect(await refusal(idToken({ sub: undefined }))).toBe('invalid_id_token: no sub');
    expect(await refusal(idToken({ sub: '' }))).toBe('invalid_id_token: no subject');
    expect(await refusal(idToken({ exp: undefined }))).toBe('invalid_id_token: no exp');
    expect(await refusal(idToken({ iat: undefined }))).toBe('invalid_id_token: no iat');
    expect(await refusal(idToken({ exp: String(now + 300) }))).toMatch(/^invalid_id_token: exp/);
  });

  it('passes on a failure to fetch the keys as it was thrown', async () => {
    const unreachable = async () => {
      throw new OidcFailure('provider_unavailable', 'jwks: fetch failed');
    };
    expect(await refusal(idToken({}), EXPECTED, unreachable)).toBe('provider_unavailable: jwks: fetch failed');
  });
});
