import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { verifyIdToken, type IdTokenExpectations } from './id-token';
import { selectKey, type Jwk } from './jws';
import { OidcFailure } from './oidc-failure';

const ISSUER = 'https://id.example.com';
const EXPECTED: IdTokenExpectations = { issuer: ISSUER, clientId: 'synapse', nonce: 'n-1' };

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const JWKS: Jwk[] = [
  { ...(rsa.publicKey.export({ format: 'jwk' }) as Jwk), kid: 'rsa-1', use: 'sig' },
  { ...(ec.publicKey.export({ format: 'jwk' }) as Jwk), kid: 'ec-1' },
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
      : sign('sha256', Buffer.from(input), key ?? rsa.privateKey);
  return `${input}.${signature.toString('base64url')}`;
}

const lookup = async (kid: string | undefined, alg: Parameters<typeof selectKey>[2]) => selectKey(JWKS, kid, alg);

async function refusal(token: string, expected = EXPECTED): Promise<string> {
  const error = await verifyIdToken(token, lookup, expected).catch((e: unknown) => e);
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

describe(selectKey.name, () => {
  it('refuses RSA keys shorter than 2048 bits and keys meant for encryption', () => {
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }) as Jwk;
    expect(selectKey([{ ...short, kid: 'k' }], 'k', 'RS256')).toBeNull();
    expect(selectKey([{ ...JWKS[0], use: 'enc' }], 'rsa-1', 'RS256')).toBeNull();
    expect(selectKey([{ ...JWKS[0], alg: 'PS256' }], 'rsa-1', 'RS256')).toBeNull();
  });

  it('takes a key without kid only when one key fits', () => {
    expect(selectKey(JWKS, undefined, 'ES256')).not.toBeNull();
    expect(selectKey([JWKS[0], { ...JWKS[0], kid: 'rsa-2' }], undefined, 'RS256')).toBeNull();
  });
});
