import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import { accessToken, graphql as gqlRequest, login as loginRequest, type GqlBody } from './support/admin-session';
import { removeDir, startGateway, tempDir, type GatewayProcess } from './support/gateway-process';

const ADMIN_EMAIL = 'owner@example.com';
const ADMIN_PASSWORD = 'e2e-owner-password';
const MEMBER_PASSWORD = 'e2e-member-password';

/** The operators' API of the built gateway: REST login, then GraphQL with the access token. */
describe('admin API (login + GraphQL against the built gateway)', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;
  let dataDir: string;

  beforeAll(async () => {
    upstream = await startMockUpstream();
    dataDir = tempDir();
    const env = { ADMIN_EMAIL, ADMIN_PASSWORD, HEALTH_CHECK_INTERVAL_MS: '0' };
    // The owner comes from ADMIN_EMAIL / ADMIN_PASSWORD; the config file adds a member and a channel.
    gateway = await startGateway({
      dataDir,
      env: { ...env, MEMBER_PASSWORD },
      config: `
channels:
  - { name: e2e-upstream, baseUrl: "${upstream.url}", models: [e2e-model] }
users:
  - email: member@example.com
    role: member
    password: \${MEMBER_PASSWORD}
`,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    removeDir(dataDir);
  });

  const login = (email: string, password: string) => loginRequest(gateway.url, email, password);
  const tokenOf = (email: string, password: string) => accessToken(gateway.url, email, password);
  const graphql = (query: string, token?: string, variables?: Record<string, unknown>) =>
    gqlRequest(gateway.url, query, token, variables);

  const codes = (body: GqlBody) => body.errors?.map((e) => e.extensions?.['code']);

  it('logs the owner in with ADMIN_EMAIL / ADMIN_PASSWORD and returns a 15-minute HS256 JWT', async () => {
    const response = await login(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { accessToken: string; tokenType: string; expiresIn: number };
    expect(body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      refreshExpiresIn: 7 * 24 * 3600, // 30 days, cut to the session's end (SESSION_MAX_AGE_HOURS)
    });
    const [header, claims] = body.accessToken
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header.alg).toBe('HS256');
    expect(claims).toMatchObject({ email: ADMIN_EMAIL, role: 'owner', sub: expect.any(String) });
    expect(claims.exp - claims.iat).toBe(900);
  });

  it('answers a wrong password and an unknown email with the same 401, and bad input with 400', async () => {
    const wrong = await login(ADMIN_EMAIL, 'not-the-password');
    const unknown = await login('nobody@example.com', ADMIN_PASSWORD);
    const expected = { statusCode: 401, error: 'invalid_credentials', message: 'Incorrect email or password.' };
    expect([wrong.status, await wrong.json()]).toEqual([401, expected]);
    expect([unknown.status, await unknown.json()]).toEqual([401, expected]);
    const bad = await login('not-an-email', '');
    expect([bad.status, await bad.json()]).toEqual([
      400,
      { statusCode: 400, error: 'invalid_request', message: 'email must be an email address; password is required.' },
    ]);
  });

  it('answers `me` without a token with UNAUTHENTICATED and no data', async () => {
    const body = await graphql('{ me { id email } }');
    expect(codes(body)).toEqual(['UNAUTHENTICATED']);
    expect(body.data).toBeNull();
  });

  it('tells a member who they are, but refuses them the routing targets (FORBIDDEN)', async () => {
    const token = await tokenOf('member@example.com', MEMBER_PASSWORD);
    expect((await graphql('{ me { email name role } }', token)).data).toEqual({
      me: { email: 'member@example.com', name: null, role: 'member' },
    });
    const body = await graphql('{ routingTargets { id } }', token);
    expect(codes(body)).toEqual(['FORBIDDEN']);
    expect(body.data).toBeNull();
  });

  it('lets the owner read the routing targets, take one out of rotation and see the event', async () => {
    const token = await tokenOf(ADMIN_EMAIL, ADMIN_PASSWORD);
    const listed = await graphql(
      '{ routingTargets { id channelId channelName model routes state inFlight latencyMs recentFailures cooldownUntil lastCheck { ok } } }',
      token,
    );
    expect(listed.errors).toBeUndefined();
    const targets = listed.data?.['routingTargets'] as { id: string; channelName: string; model: string }[];
    const target = targets.find((t) => t.channelName === 'e2e-upstream' && t.model === 'e2e-model');
    expect(target).toMatchObject({ routes: ['e2e-model'], state: 'HEALTHY', inFlight: 0, recentFailures: 0 });

    const disable = `mutation($id: String!, $disabled: Boolean!) {
      setRoutingTargetDisabled(id: $id, disabled: $disabled) { id state } }`;
    const disabled = await graphql(disable, token, { id: target?.id, disabled: true });
    expect(disabled.data).toEqual({ setRoutingTargetDisabled: { id: target?.id, state: 'DISABLED' } });
    const events = await graphql('{ routingEvents(limit: 5) { targetId from to cause } }', token);
    expect(events.data?.['routingEvents']).toContainEqual({
      targetId: target?.id,
      from: 'HEALTHY',
      to: 'DISABLED',
      cause: 'manual',
    });
    const enabled = await graphql(disable, token, { id: target?.id, disabled: false });
    expect(enabled.data).toEqual({ setRoutingTargetDisabled: { id: target?.id, state: 'HEALTHY' } });

    const missing = await graphql(disable, token, { id: 'no-such/target', disabled: true });
    expect(codes(missing)).toEqual(['NOT_FOUND']);
    const tooMany = await graphql('{ routingEvents(limit: 501) { cause } }', token);
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
  });

  it('serves no HTML page on GET /graphql: no landing page, nothing from a CDN', async () => {
    const response = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type') ?? '').not.toMatch(/html/);
    expect(text).not.toMatch(/<html|<script|cdn\.|jsdelivr|unpkg|googleapis|apollographql/i);
  });

  it('never sends a stack trace or a password hash', async () => {
    const token = await tokenOf(ADMIN_EMAIL, ADMIN_PASSWORD);
    const bodies = [
      await graphql('{ me { passwordHash } }', token),
      await graphql('{ routingEvents(limit: "x") { cause } }', token),
      await graphql('{ nope }', token),
    ];
    for (const body of bodies) {
      expect(codes(body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(JSON.stringify(body)).not.toMatch(/stacktrace|node_modules|\$argon2/);
    }
  });
});
