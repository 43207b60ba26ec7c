import { describeWithPostgres, POSTGRES_URL, redisAvailable, REDIS_URL, runPostgres } from '@synapse/testing';
import Redis from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import { removeDir, startGateway, tempDir, type GatewayProcess } from './support/gateway-process';
import { sqliteRows } from './support/sqlite-rows';

const OWNER = 'owner@example.com';
const OWNER_PASSWORD = 'e2e-owner-password';
const CHANGER = 'changer@example.com';
const CHANGER_PASSWORD = 'e2e-changer-password';
const LOCKED = 'locked@example.com';
const LOCKED_PASSWORD = 'e2e-locked-password';

const USERS = `
users:
  - email: ${OWNER}
    role: owner
    password: \${OWNER_PASSWORD}
  - email: ${CHANGER}
    role: member
    password: \${CHANGER_PASSWORD}
  - email: ${LOCKED}
    role: member
    password: \${LOCKED_PASSWORD}
`;
const PASSWORDS = { OWNER_PASSWORD, CHANGER_PASSWORD, LOCKED_PASSWORD, HEALTH_CHECK_INTERVAL_MS: '0' };

interface TokenPair {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

function authClient(url: () => string) {
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url()}/api/auth/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  return {
    login: (email: string, password: string) => post('login', { email, password }),
    refresh: (refreshToken: string) => post('refresh', { refreshToken }),
    logout: (refreshToken: string) => post('logout', { refreshToken }),
    changePassword: (accessToken: string, currentPassword: string, newPassword: string) =>
      post('password', { currentPassword, newPassword }, accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
  };
}

/** Sessions, password change and lockout on the built gateway (SQLite, no Redis: counters in process). */
describe('auth sessions (refresh tokens, password change, lockout against the built gateway)', () => {
  let gateway: GatewayProcess;
  let dataDir: string;
  const auth = authClient(() => gateway.url);

  beforeAll(async () => {
    dataDir = tempDir();
    gateway = await startGateway({ dataDir, env: PASSWORDS, config: USERS });
  });

  afterAll(async () => {
    await gateway?.stop();
    if (dataDir) removeDir(dataDir);
  });

  const issued: string[] = [];

  async function signIn(email: string, password: string): Promise<TokenPair> {
    const response = await auth.login(email, password);
    expect(response.status).toBe(200);
    issued.push(response.body.refreshToken);
    return response.body as TokenPair;
  }

  it('rotates refresh tokens, ends the session when a spent one comes back, and signs out', async () => {
    const first = await signIn(OWNER, OWNER_PASSWORD);
    expect(first).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      // 30 days, cut to the session's end (SESSION_MAX_AGE_HOURS, 7 days by default).
      refreshExpiresIn: 7 * 24 * 3600,
    });

    const refreshed = await auth.refresh(first.refreshToken);
    expect(refreshed.status).toBe(200);
    const second = refreshed.body as TokenPair;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    // The spent token again: refused, and the family with it (the token issued in exchange too).
    const replayed = await auth.refresh(first.refreshToken);
    expect([replayed.status, replayed.body.error]).toEqual([401, 'refresh_token_reused']);
    const afterReuse = await auth.refresh(second.refreshToken);
    expect([afterReuse.status, afterReuse.body.error]).toEqual([401, 'refresh_token_revoked']);

    const session = await signIn(OWNER, OWNER_PASSWORD);
    const out = await auth.logout(session.refreshToken);
    expect([out.status, out.body]).toEqual([204, undefined]);
    const afterLogout = await auth.refresh(session.refreshToken);
    expect([afterLogout.status, afterLogout.body]).toEqual([
      401,
      {
        statusCode: 401,
        error: 'refresh_token_revoked',
        message: 'The refresh token has been revoked: sign in again (POST /api/auth/login).',
      },
    ]);
  });

  it('stores refresh tokens only as SHA-256 hashes', async () => {
    const { refreshToken } = await signIn(OWNER, OWNER_PASSWORD);
    const rows = sqliteRows<{ token_hash: string; family_id: string; revoked_at: string | null }>(
      dataDir,
      'SELECT token_hash, family_id, revoked_at FROM refresh_tokens',
    );
    expect(rows.map((r) => r.token_hash)).toContain(createHash('sha256').update(refreshToken).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(refreshToken);
  });

  it('changes a password: the old one fails, the new one works, earlier sessions end', async () => {
    const before = await signIn(CHANGER, CHANGER_PASSWORD);
    const tooShort = await auth.changePassword(before.accessToken, CHANGER_PASSWORD, 'short');
    expect([tooShort.status, tooShort.body.message]).toEqual([400, 'newPassword must be at least 12 characters.']);
    const noToken = await auth.changePassword('', CHANGER_PASSWORD, 'a brand new password');
    expect([noToken.status, noToken.body.error]).toEqual([401, 'missing_token']);

    const wrong = await auth.changePassword(before.accessToken, 'not my password', 'a brand new password');
    expect([wrong.status, wrong.body.error]).toEqual([401, 'invalid_credentials']);

    const changed = await auth.changePassword(before.accessToken, CHANGER_PASSWORD, 'a brand new password');
    expect(changed.status).toBe(204);
    expect((await auth.login(CHANGER, CHANGER_PASSWORD)).status).toBe(401);
    await signIn(CHANGER, 'a brand new password');
    const oldSession = await auth.refresh(before.refreshToken);
    expect([oldSession.status, oldSession.body.error]).toEqual([401, 'refresh_token_revoked']);
  });

  it('locks an account after 5 wrong passwords: 429 with Retry-After, even for the right one', async () => {
    for (let i = 0; i < 5; i++) expect((await auth.login(LOCKED, `wrong password ${i}`)).status).toBe(401);
    const locked = await auth.login(LOCKED, LOCKED_PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(890);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(900);
    expect(locked.body).toEqual({
      statusCode: 429,
      error: 'too_many_attempts',
      message: 'Too many failed sign-in attempts: try again in 15 minutes.',
    });
    // Other accounts from the same client are not locked.
    expect((await auth.login(OWNER, OWNER_PASSWORD)).status).toBe(200);
  });

  it('logs each refused attempt with its reason, never a password or a token', async () => {
    const output = gateway.output();
    expect(output).toContain('login failed for l***@example.com from 127.0.0.1 (bad_password)');
    expect(output).toContain('login failed for l***@example.com from 127.0.0.1 (locked_account)');
    expect(output).toContain('(reused: session revoked)');
    expect(output).toContain('password change failed for c***@example.com from 127.0.0.1 (bad_current_password)');
    expect(output).toContain('POST /api/auth/password refused from 127.0.0.1 (missing_token)');
    for (const token of issued) expect(output).not.toContain(token);
    expect(output).not.toMatch(/wrong password \d|not my password|e2e-\w+-password|a brand new password/);
  });
});

/** Two replicas on PostgreSQL and Redis count failed sign-ins together. */
describeWithPostgres('auth lockout shared by replicas through Redis', () => {
  const database = `synapse_e2e_auth_${process.pid}`;
  const databaseUrl = POSTGRES_URL.replace(/\/[^/]*$/, `/${database}`);
  const email = `shared-${randomUUID().slice(0, 8)}@example.com`;
  const replicas: GatewayProcess[] = [];
  let redis: Redis;

  beforeAll(async () => {
    if (!redisAvailable) throw new Error('this suite needs Redis as well');
    redis = new Redis(REDIS_URL);
    await runPostgres(`DROP DATABASE IF EXISTS ${database}`);
    await runPostgres(`CREATE DATABASE ${database}`);
    const env = { ...PASSWORDS, DATABASE_URL: databaseUrl, REDIS_URL };
    replicas.push(await startGateway({ env, config: USERS }));
    replicas.push(await startGateway({ env, config: USERS }));
  });

  afterAll(async () => {
    for (const replica of replicas) {
      await replica.stop();
      removeDir(replica.dataDir);
    }
    // The client's counter would otherwise outlive the test by 15 minutes, for the next run.
    await redis?.del('synapse:lockout:ip:127.0.0.1');
    redis?.disconnect();
    await runPostgres(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('locks an account after 5 failures spread over both replicas', async () => {
    const [a, b] = replicas.map((replica) => authClient(() => replica.url));
    for (const replica of [a, b, a, b, a]) expect((await replica.login(email, 'wrong password')).status).toBe(401);
    const locked = await b.login(email, 'wrong password');
    expect([locked.status, locked.headers.get('retry-after')]).toEqual([429, expect.stringMatching(/^\d+$/)]);
    // The account's counter, under its hashed email, held for the 15-minute lock.
    const key = `synapse:lockout:account:${createHash('sha256').update(email).digest('hex').slice(0, 32)}`;
    expect(await redis.get(key)).toBe('5');
    expect(await redis.pttl(key)).toBeGreaterThan(890_000);
    // A session started on one replica is refreshed on the other: the tokens live in the database.
    const { refreshToken } = (await a.login(OWNER, OWNER_PASSWORD)).body as TokenPair;
    expect((await b.refresh(refreshToken)).status).toBe(200);
    expect((await a.refresh(refreshToken)).body.error).toBe('refresh_token_reused');
  });
});
