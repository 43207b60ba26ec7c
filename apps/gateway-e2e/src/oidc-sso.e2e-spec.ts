import { graphql } from './support/admin-session';
import { freePort, removeDir, startGateway, tempDir, type GatewayProcess } from './support/gateway-process';
import { browse, CookieJar, startOidcProvider, type OidcTestProvider } from './support/oidc-provider';

const CONSOLE = 'http://console.example.test';
const CLIENT_SECRET = 'e2e-oidc-client-secret-do-not-log';
const USERS = {
  ada: {
    email: 'ada@example.com',
    email_verified: true,
    name: 'Ada',
    groups: ['staff', 'synapse-ops', 'synapse-admins'],
  },
  existing: { email: 'Existing@Example.com', email_verified: true, groups: ['synapse-members'] },
  unmapped: { email: 'unmapped@example.com', email_verified: true, groups: ['staff'] },
  unverified: { email: 'unverified@example.com', email_verified: false, groups: ['synapse-admins'] },
};

interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/** Single sign-on against a real OpenID provider (oidc-provider), driven over HTTP as a browser would. */
describe('single sign-on through an OpenID Connect provider', () => {
  let provider: OidcTestProvider;
  let gateway: GatewayProcess;
  let dataDir: string;

  beforeAll(async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    provider = await startOidcProvider(USERS, {
      client_id: 'synapsehub',
      client_secret: CLIENT_SECRET,
      redirect_uris: [`${publicUrl}/api/auth/oidc/callback`],
    });
    dataDir = tempDir();
    gateway = await startGateway({
      port,
      dataDir,
      config: `users:\n  - email: existing@example.com\n    role: auditor\n`,
      env: {
        PUBLIC_URL: publicUrl,
        CONSOLE_URL: CONSOLE,
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: 'synapsehub',
        OIDC_CLIENT_SECRET: CLIENT_SECRET,
        OIDC_SCOPES: 'openid email profile groups',
        OIDC_DISPLAY_NAME: 'Example IdP',
        OIDC_ROLE_CLAIM: 'groups',
        OIDC_ROLE_MAP: 'synapse-admins=admin,synapse-ops=operator,synapse-members=member',
        OIDC_DEFAULT_ROLE: 'none',
        HEALTH_CHECK_INTERVAL_MS: '0',
      },
    });
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await provider?.stop();
    removeDir(dataDir);
  });

  const signIn = (login: string, jar?: CookieJar, tamper?: (url: string) => string) =>
    browse(`${gateway.url}/api/auth/oidc/login`, CONSOLE, login, jar, tamper);

  const codeOf = (consoleUrl: string) => {
    expect(consoleUrl).toMatch(new RegExp(`^${CONSOLE}/login/sso#code=[\\w-]{43}$`));
    return new URL(consoleUrl).hash.slice('#code='.length);
  };

  const exchange = async (code: string) => {
    const response = await fetch(`${gateway.url}/api/auth/oidc/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    return { status: response.status, body: (await response.json()) as TokenPair & Record<string, unknown> };
  };

  const me = async (token: string) => (await graphql(gateway.url, '{ me { email role } }', token)).data?.['me'];

  it('tells the console which sign-in methods are on', async () => {
    const response = await fetch(`${gateway.url}/api/auth/methods`);
    expect(await response.json()).toEqual({
      password: true,
      oidc: { name: 'Example IdP', loginUrl: '/api/auth/oidc/login' },
    });
  });

  it('sends the browser to the provider with a PKCE challenge, state and nonce, in a sealed cookie', async () => {
    const response = await fetch(`${gateway.url}/api/auth/oidc/login`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.origin).toBe(provider.issuer);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'synapsehub',
      redirect_uri: `${gateway.url}/api/auth/oidc/callback`,
      scope: 'openid email profile groups',
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      state: expect.stringMatching(/^[\w-]{43}$/),
      nonce: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(response.headers.get('set-cookie')).toMatch(
      /^synapse_oidc=[\w-]+; Path=\/api\/auth\/oidc; Max-Age=600; HttpOnly; SameSite=Lax$/,
    );
  });

  it('creates a new user with the strongest mapped role, whose token works on /graphql', async () => {
    const { status, body } = await exchange(codeOf(await signIn('ada')));
    expect(status).toBe(200);
    expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    // The session's end (7 days after the sign-in, a moment ago) cuts the refresh token's 30 days short.
    expect(body.refreshExpiresIn).toBeGreaterThan(7 * 24 * 3600 - 60);
    expect(body.refreshExpiresIn).toBeLessThanOrEqual(7 * 24 * 3600);
    expect(await me(body.accessToken)).toEqual({ email: 'ada@example.com', role: 'admin' });
    // The session is a normal one: its refresh token rotates.
    const refreshed = await fetch(`${gateway.url}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: body.refreshToken }),
    });
    expect(refreshed.status).toBe(200);
  });

  it('matches an existing user by email, whatever the case, and keeps the stored role', async () => {
    const { body } = await exchange(codeOf(await signIn('existing')));
    expect(await me(body.accessToken)).toEqual({ email: 'existing@example.com', role: 'auditor' });
  });

  it('refuses a user that no mapped group lets in when the default role is none', async () => {
    expect(await signIn('unmapped')).toBe(`${CONSOLE}/login?error=no_role`);
    expect(gateway.output()).toMatch(
      /sso sign-in failed for u\*\*\*@example.com from .* \(no_role: subject unmapped\)/,
    );
    // Also in the audit trail, which an admin (Ada, by her groups) reads.
    const { body: admin } = await exchange(codeOf(await signIn('ada')));
    const audit = await graphql(
      gateway.url,
      '{ auditEvents(action: "auth.sso") { outcome actorEmail detail } }',
      admin.accessToken,
    );
    expect(audit.data?.['auditEvents']).toContainEqual({
      outcome: 'failed',
      actorEmail: 'unmapped@example.com',
      detail: 'no_role: subject unmapped',
    });
  });

  it('refuses an email the provider says is not verified', async () => {
    expect(await signIn('unverified')).toBe(`${CONSOLE}/login?error=email_not_verified`);
  });

  it('refuses a callback whose state was changed, or that comes without the cookie of its sign-in', async () => {
    const forged = (url: string) => url.replace(/([?&]state=)[\w-]+/, '$1forged-state');
    expect(await signIn('ada', new CookieJar(), (url) => (url.includes('/oidc/callback') ? forged(url) : url))).toBe(
      `${CONSOLE}/login?error=invalid_state`,
    );
    // Another browser (no cookie) replaying the provider's redirect.
    let callback = '';
    await signIn('ada', new CookieJar(), (url) => {
      if (url.includes('/oidc/callback')) callback = url;
      return url.includes('/oidc/callback') ? `${CONSOLE}/stop` : url;
    });
    const replay = await fetch(callback, { redirect: 'manual' });
    expect(replay.headers.get('location')).toBe(`${CONSOLE}/login?error=invalid_state`);
  });

  it('passes on an error from the provider', async () => {
    const jar = new CookieJar();
    const start = await fetch(`${gateway.url}/api/auth/oidc/login`, { redirect: 'manual' });
    jar.store(gateway.url, start);
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    // Anyone who starts a sign-in can write `error`: it reaches the WARN line, a line break escaped.
    const error = encodeURIComponent('access_denied\n[Nest] forged');
    const callback = await fetch(`${gateway.url}/api/auth/oidc/callback?error=${error}&state=${state}`, {
      redirect: 'manual',
      headers: { cookie: jar.header(gateway.url) },
    });
    expect(callback.headers.get('location')).toBe(`${CONSOLE}/login?error=provider_error`);
    expect(callback.headers.get('set-cookie')).toMatch(/^synapse_oidc=; .*Max-Age=0/);
    expect(gateway.output()).toContain('(provider_error: access_denied\\n[Nest] forged)');
    expect(
      gateway
        .output()
        .split('\n')
        .filter((line) => line.startsWith('[Nest] forged')),
    ).toEqual([]);
  });

  it('accepts a one-time code once: a replay is refused and ends the session it started', async () => {
    const code = codeOf(await signIn('ada'));
    const first = await exchange(code);
    expect(first.status).toBe(200);
    const replay = await exchange(code);
    expect([replay.status, replay.body['error']]).toEqual([401, 'code_used']);
    const refreshed = await fetch(`${gateway.url}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: first.body.refreshToken }),
    });
    expect(refreshed.status).toBe(401);
    expect((await exchange('not-a-code')).body).toMatchObject({ statusCode: 401, error: 'invalid_code' });
  });

  it('logs no code, token or client secret', () => {
    const output = gateway.output();
    expect(output).not.toContain(CLIENT_SECRET);
    expect(output).not.toMatch(/code=[\w-]{20,}|eyJ[\w-]{20,}/);
  });
});
