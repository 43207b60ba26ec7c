import { InProcessSessionRevocations } from '../sessions/session-revocations';
import { InMemoryAuditEventRepository } from '@synapse/gateway/persistence/testing';
import { AuditTrail } from '@synapse/gateway/audit';
import { JwtService } from '@nestjs/jwt';
import { InMemoryRefreshTokenRepository, InMemoryUserRepository } from '@synapse/gateway/persistence/testing';
import { hashPassword, verifyPassword } from '../password/password-hashing';
import { GatewayError } from '@synapse/gateway/errors';
import { ACCESS_TOKEN_TTL_SECONDS, type AccessTokenClaims } from '../jwt/access-token';
import { InProcessLockoutStore } from '../lockout/in-process-lockout-store';
import { DEFAULT_LOCKOUT_POLICY } from '../lockout/lockout-policy';
import { LoginLockout } from '../lockout/login-lockout.service';
import { AccessTokenSigner } from '../tokens/access-token-signer';
import { hashRefreshToken } from '../tokens/refresh-token-secret';
import { RefreshTokens } from '../tokens/refresh-tokens.service';
import { AuthFailureLog } from './auth-failure-log';
import type { ClientInfo } from './client-info';
import { LoginService } from './login.service';

jest.mock('../password/password-hashing', () => {
  const actual = jest.requireActual('../password/password-hashing');
  return { ...actual, verifyPassword: jest.fn(actual.verifyPassword) };
});

// argon2id is slow on purpose: several hashes per case outlast Jest's 5 s on a busy 2-core machine.
jest.setTimeout(30_000);

const CLIENT: ClientInfo = { ip: '198.51.100.20', userAgent: 'jest' };

describe(LoginService.name, () => {
  const jwt = new JwtService({ secret: 'test-signing-key', signOptions: { expiresIn: ACCESS_TOKEN_TTL_SECONDS } });
  const users = new InMemoryUserRepository();
  let refreshTokens: InMemoryRefreshTokenRepository;
  let failures: AuthFailureLog;
  let warnings: string[];
  let service: LoginService;

  beforeAll(async () => {
    const now = new Date();
    await users.save({
      id: 'u-1',
      email: 'ops@example.com',
      name: 'Ops',
      role: 'operator',
      passwordHash: await hashPassword('right password'),
      createdAt: now,
      updatedAt: now,
    });
    await users.save({
      id: 'u-2',
      email: 'sso@example.com',
      name: null,
      role: 'admin',
      passwordHash: null,
      createdAt: now,
      updatedAt: now,
    });
  });

  beforeEach(() => {
    refreshTokens = new InMemoryRefreshTokenRepository();
    failures = new AuthFailureLog(new AuditTrail(new InMemoryAuditEventRepository()));
    warnings = [];
    jest
      .spyOn(failures['logger'], 'warn')
      .mockImplementation((message: unknown) => void warnings.push(String(message)));
    service = new LoginService(
      users,
      new LoginLockout(new InProcessLockoutStore(), DEFAULT_LOCKOUT_POLICY),
      new AccessTokenSigner(jwt),
      new RefreshTokens(refreshTokens, new InProcessSessionRevocations()),
      failures,
    );
  });

  async function failure(email: string, password: string, client = CLIENT): Promise<GatewayError> {
    const error = await service.login(email, password, client).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }

  const summary = (error: GatewayError) => ({ status: error.status, code: error.code, message: error.message });

  it('issues a 15-minute bearer token and a 30-day refresh token for the right password', async () => {
    const result = await service.login('OPS@example.com', 'right password', CLIENT);
    expect(result).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, refreshExpiresIn: 7 * 24 * 3600 });
    const claims = await jwt.verifyAsync<AccessTokenClaims & { exp: number; iat: number }>(result.accessToken);
    expect(claims).toMatchObject({ sub: 'u-1', email: 'ops@example.com', role: 'operator' });
    expect(claims.exp - claims.iat).toBe(900);
    expect(await refreshTokens.findByHash(hashRefreshToken(result.refreshToken))).toMatchObject({
      userId: 'u-1',
      ip: CLIENT.ip,
      userAgent: 'jest',
      revokedAt: null,
    });
  });

  it('answers a wrong password, an unknown email and a password-less account with the same 401, each logged', async () => {
    const wrong = await failure('ops@example.com', 'wrong password');
    const unknown = await failure('nobody@example.com', 'right password');
    const passwordless = await failure('sso@example.com', 'anything');
    for (const error of [wrong, unknown, passwordless]) {
      expect(summary(error)).toEqual({
        status: 401,
        code: 'invalid_credentials',
        message: 'Incorrect email or password.',
      });
    }
    expect(warnings).toEqual([
      'login failed for o***@example.com from 198.51.100.20 (bad_password)',
      'login failed for n***@example.com from 198.51.100.20 (unknown_email)',
      'login failed for s***@example.com from 198.51.100.20 (no_password)',
    ]);
    expect(warnings.join('\n')).not.toMatch(/wrong password|right password|anything/);
  });

  it('locks the account after 5 wrong passwords: 429 with Retry-After even for the right one', async () => {
    for (let i = 0; i < 5; i++) expect((await failure('ops@example.com', `guess ${i}`)).status).toBe(401);
    const locked = await failure('ops@example.com', 'right password', { ip: '203.0.113.1', userAgent: null });
    expect(summary(locked)).toEqual({
      status: 429,
      code: 'too_many_attempts',
      message: 'Too many failed sign-in attempts: try again in 15 minutes.',
    });
    expect(locked.options.headers).toEqual({ 'retry-after': '900' });
    expect(warnings.at(-1)).toBe('login failed for o***@example.com from 203.0.113.1 (locked_account)');
    expect(await service.login('other@example.com', 'x', CLIENT).catch((e: GatewayError) => e.status)).toBe(401);
  });

  it('locks an unknown email the same way, so that a lock tells nothing about which accounts exist', async () => {
    for (let i = 0; i < 5; i++) await failure('ghost@example.com', `guess ${i}`);
    expect(summary(await failure('ghost@example.com', 'right password'))).toMatchObject({ status: 429 });
  });

  it('forgets the failures of an account when it signs in', async () => {
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) await failure('ops@example.com', `guess ${i}`);
      await expect(service.login('ops@example.com', 'right password', CLIENT)).resolves.toHaveProperty('accessToken');
    }
  });

  it('locks a client IP after 20 failures across accounts', async () => {
    for (let i = 0; i < 20; i++) await failure(`user${i}@example.com`, 'guess');
    const locked = await failure('ops@example.com', 'right password');
    expect([locked.status, warnings.at(-1)]).toEqual([
      429,
      'login failed for o***@example.com from 198.51.100.20 (locked_ip)',
    ]);
    await expect(
      service.login('ops@example.com', 'right password', { ip: '198.51.100.21', userAgent: null }),
    ).resolves.toHaveProperty('refreshToken');
    // 21 argon2id verifications: slow on a busy 2-core machine.
  }, 30_000);

  it('verifies a password against a hash of the same cost for an unknown email and a password-less account', async () => {
    // What a wrong password costs (an argon2id verification) an unknown email costs too, so that
    // the time of an answer does not tell which accounts exist. Counted, not timed.
    const verified = jest.mocked(verifyPassword);
    // `argon2id$v=19$m=…,p=…,t=…`: the algorithm, its version, memory, parallelism and time.
    const costOf = (hash: string) => hash.split('$').slice(1, 4).join('$');
    const stored = costOf((await users.findByEmail('ops@example.com'))?.passwordHash ?? '');
    expect(stored).toMatch(/^argon2id\$v=\d+\$m=\d+,p=\d+,t=\d+$/);
    for (const email of ['ops@example.com', 'nobody@example.com', 'sso@example.com']) {
      verified.mockClear();
      await failure(email, 'wrong password');
      expect(verified).toHaveBeenCalledTimes(1);
      const [hash] = verified.mock.calls[0];
      expect(costOf(hash)).toBe(stored);
      // ... and the verification ran to its end before the answer.
      await expect(verified.mock.results[0].value).resolves.toBe(false);
    }
  });
});
