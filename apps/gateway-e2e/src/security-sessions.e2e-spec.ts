import { graphql, login } from './support/admin-session';
import { removeDir, startGateway, tempDir, type GatewayProcess } from './support/gateway-process';
import { sqliteRows, sqliteRun } from './support/sqlite-rows';

const OWNER = 'owner@example.com';
const OWNER_PASSWORD = 'e2e-owner-password';
const ENV = { ADMIN_EMAIL: OWNER, ADMIN_PASSWORD: OWNER_PASSWORD, HEALTH_CHECK_INTERVAL_MS: '0' };

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  refreshExpiresIn: number;
}

async function post(gateway: GatewayProcess, path: string, body: unknown) {
  const response = await fetch(`${gateway.url}/api/auth/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function signIn(gateway: GatewayProcess): Promise<TokenPair> {
  const response = await login(gateway.url, OWNER, OWNER_PASSWORD);
  if (response.status !== 200) {
    // Seen once in CI (a 401), never since: what the gateway said and logged, for the next time.
    const said = await response.text();
    throw new Error(`sign-in answered ${response.status} ${said}\n${gateway.output().slice(-4000)}`);
  }
  return (await response.json()) as TokenPair;
}

/** What `{ me }` answers with the token: the email, or the error code. */
async function whoAmI(gateway: GatewayProcess, accessToken: string): Promise<unknown> {
  const body = await graphql(gateway.url, '{ me { email } }', accessToken);
  return body.data?.['me'] ?? body.errors?.[0]?.extensions?.['code'];
}

/** Security review #11, items 8a, 8c and 8e, against the built gateway (SQLite, no Redis). */
describe('session and password hardening', () => {
  const dirs: string[] = [];
  let gateway: GatewayProcess | undefined;

  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
  });
  afterAll(() => dirs.forEach(removeDir));

  const start = async (dataDir: string, env: Record<string, string> = {}) =>
    (gateway = await startGateway({ dataDir, env: { ...ENV, ...env } }));

  it('keeps a signed-out session ended across a restart without Redis: its access token stays refused', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    let running = await start(dataDir);
    const signedOut = await signIn(running);
    const kept = await signIn(running);
    expect(await whoAmI(running, signedOut.accessToken)).toEqual({ email: OWNER });
    expect((await post(running, 'logout', { refreshToken: signedOut.refreshToken })).status).toBe(204);
    expect(await whoAmI(running, signedOut.accessToken)).toBe('UNAUTHENTICATED');

    await running.stop();
    running = await start(dataDir);
    // The access token is still within its 15 minutes and correctly signed: only the revocation stops it.
    expect(await whoAmI(running, signedOut.accessToken)).toBe('UNAUTHENTICATED');
    expect(running.output()).toContain('(revoked_token)');
    // A session that was not ended goes on.
    expect(await whoAmI(running, kept.accessToken)).toEqual({ email: OWNER });
  });

  it('ends a session SESSION_MAX_AGE_HOURS after its sign-in, however often it was refreshed', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const running = await start(dataDir, { SESSION_MAX_AGE_HOURS: '24' });
    const first = await signIn(running);
    // The refresh token's 30 days are cut to the session's end.
    expect(first.refreshExpiresIn).toBe(24 * 3600);
    const refreshed = await post(running, 'refresh', { refreshToken: first.refreshToken });
    expect(refreshed.status).toBe(200);
    const current = refreshed.body as TokenPair;
    expect(current.refreshExpiresIn).toBeLessThanOrEqual(24 * 3600);

    // A day and a minute later, for the store: the session began before the limit.
    const longAgo = new Date(Date.now() - (24 * 3600 + 60) * 1000).toISOString().replace('T', ' ').replace('Z', '');
    expect(sqliteRun(dataDir, 'UPDATE refresh_tokens SET session_started_at = ?', longAgo)).toBeGreaterThan(0);
    // The token itself is unexpired: a refresh alone would have kept the session going for ever.
    const [row] = sqliteRows<{ expires_at: string }>(
      dataDir,
      'SELECT expires_at FROM refresh_tokens WHERE revoked_at IS NULL',
    );
    expect(new Date(`${row.expires_at}Z`).getTime()).toBeGreaterThan(Date.now());

    const expired = await post(running, 'refresh', { refreshToken: current.refreshToken });
    expect([expired.status, expired.body]).toEqual([
      401,
      {
        statusCode: 401,
        error: 'session_expired',
        message:
          'The session has reached its maximum age (SESSION_MAX_AGE_HOURS) and has ended: sign in again (POST /api/auth/login).',
      },
    ]);
    // The session is over: its refresh token stays refused, and so does its access token.
    expect((await post(running, 'refresh', { refreshToken: current.refreshToken })).body.error).toBe(
      'refresh_token_revoked',
    );
    expect(await whoAmI(running, current.accessToken)).toBe('UNAUTHENTICATED');
    expect(running.output()).toContain('(session_expired: session revoked)');
    // Signing in again starts a new session.
    expect(await whoAmI(running, (await signIn(running)).accessToken)).toEqual({ email: OWNER });
  });

  it('holds ADMIN_PASSWORD and config-file passwords to the API policy of 12 characters', async () => {
    /** The start's failure, or null (the gateway stopped again) when it came up. */
    const refusal = async (options: Parameters<typeof startGateway>[0]): Promise<string | null> => {
      const dataDir = tempDir();
      dirs.push(dataDir);
      try {
        await (await startGateway({ ...options, dataDir })).stop();
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    };
    const short = await refusal({ env: { ...ENV, ADMIN_PASSWORD: 'hunter22!' } });
    expect(short).toContain('ADMIN_PASSWORD: must be at least 12 characters');
    expect(short).not.toContain('hunter22!');

    const fromFile = await refusal({
      env: ENV,
      config: 'users:\n  - { email: short@example.com, role: member, password: "eleven-char" }\n',
    });
    expect(fromFile).toContain('users[0].password: must be at least 12 characters');
    expect(fromFile).not.toContain('eleven-char');
  });

  it('refuses the same short password in the admin API, and one over 1024 characters', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const running = await start(dataDir);
    const { accessToken } = await signIn(running);
    const create = (password: string) =>
      graphql(running.url, 'mutation($input: CreateUserInput!) { createUser(input: $input) { email } }', accessToken, {
        input: { email: `u${password.length}@example.com`, role: 'member', password },
      });
    for (const [password, message] of [
      ['eleven-char', 'password: must be at least 12 characters'],
      ['x'.repeat(1025), 'password: must be at most 1024 characters'],
    ]) {
      const refused = await create(password);
      expect(refused.errors?.[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
    }
    expect((await create('twelve-chars')).data?.['createUser']).toEqual({ email: 'u12@example.com' });
  });
});
