import type { OidcSettings } from '@synapse/gateway/config';
import { SignJWT, type JWK } from 'jose';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OidcClient } from './oidc-client';
import { OidcDiscovery } from './oidc-discovery';
import { OidcFailure } from './oidc-failure';

const rsaKey = (kid: string) => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, use: 'sig' } };
};
const [first, second, third] = [rsaKey('k1'), rsaKey('k2'), rsaKey('k3')];

/** A provider's discovery document and JWKS over real HTTP, counting the JWKS fetches. */
class FakeProvider {
  keys: JWK[] = [];
  jwksStatus = 200;
  jwksFetches = 0;
  private readonly server: Server = createServer((request, response) => {
    const base = this.issuer;
    if (request.url === '/.well-known/openid-configuration') {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          issuer: base,
          authorization_endpoint: `${base}/auth`,
          token_endpoint: `${base}/token`,
          jwks_uri: `${base}/jwks`,
        }),
      );
    } else if (request.url === '/jwks') {
      this.jwksFetches++;
      if (this.jwksStatus === 302) response.writeHead(302, { location: `${base}/elsewhere` });
      else response.writeHead(this.jwksStatus, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: this.keys }));
    } else {
      response.writeHead(404).end();
    }
  });

  get issuer() {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  listen() {
    return new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  close() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe(OidcDiscovery.name, () => {
  const provider = new FakeProvider();
  let now: number;
  let client: OidcClient;

  beforeAll(() => provider.listen());
  afterAll(() => provider.close());

  beforeEach(() => {
    provider.keys = [first.jwk];
    provider.jwksStatus = 200;
    provider.jwksFetches = 0;
    now = Date.parse('2026-01-01T00:00:00Z');
    const settings = { issuer: provider.issuer, clientId: 'synapse' } as OidcSettings;
    client = new OidcClient(settings, new OidcDiscovery(settings, () => now));
  });

  const idToken = (signer: { kid: string; privateKey: KeyObject }) =>
    new SignJWT({ nonce: 'n-1' })
      .setProtectedHeader({ alg: 'RS256', kid: signer.kid })
      .setIssuer(provider.issuer)
      .setAudience('synapse')
      .setSubject('user-1')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(signer.privateKey);

  const verify = async (signer: { kid: string; privateKey: KeyObject }) =>
    client.verifyIdToken(await idToken(signer), 'n-1').then(
      (claims) => claims.sub,
      (error: OidcFailure) => `${error.code}: ${error.detail}`,
    );

  it('fetches the keys at the first sign-in, once for concurrent sign-ins, and then reuses them', async () => {
    expect(await Promise.all([verify(first), verify(first), verify(first)])).toEqual(['user-1', 'user-1', 'user-1']);
    now += 10 * 60_000;
    expect(await verify(first)).toBe('user-1');
    expect(provider.jwksFetches).toBe(1);
  });

  it('fetches the keys again for a kid it does not know, but not more often than every 30 seconds', async () => {
    expect(await verify(first)).toBe('user-1');
    provider.keys = [first.jwk, second.jwk];
    now += 10_000;
    expect(await verify(second)).toBe('invalid_id_token: no RS256 key with kid k2 at the provider');
    expect(provider.jwksFetches).toBe(1);
    now += 21_000;
    expect(await verify(second)).toBe('user-1');
    expect(provider.jwksFetches).toBe(2);
    // A stream of tokens under made-up kids cannot make the gateway hammer the provider.
    now += 10_000;
    expect(await verify(third)).toBe('invalid_id_token: no RS256 key with kid k3 at the provider');
    expect(provider.jwksFetches).toBe(2);
  });

  it('stops trusting a withdrawn key within the hour', async () => {
    expect(await verify(first)).toBe('user-1');
    provider.keys = [second.jwk];
    now += 60 * 60_000;
    expect(await verify(first)).toBe('invalid_id_token: no RS256 key with kid k1 at the provider');
    expect(provider.jwksFetches).toBe(2);
  });

  it('reports a JWKS that cannot be fetched, or that redirects, as provider_unavailable', async () => {
    provider.jwksStatus = 500;
    expect(await verify(first)).toBe('provider_unavailable: jwks answered 500');
    provider.jwksStatus = 302;
    expect(await verify(first)).toMatch(/^provider_unavailable: jwks: /);
  });

  it('ignores a malformed entry in the JWKS', async () => {
    provider.keys = [null as unknown as JWK, 'junk' as unknown as JWK, first.jwk];
    expect(await verify(first)).toBe('user-1');
  });
});
