import { InProcessSessionRevocations } from '../sessions/session-revocations';
import { InMemoryAuditEventRepository } from '@synapse/gateway/persistence/testing';
import { AuditTrail } from '@synapse/gateway/audit';
import type { User } from '@synapse/gateway/persistence';
import { InMemoryRefreshTokenRepository, InMemoryUserRepository } from '@synapse/gateway/persistence/testing';
import { hashPassword } from './password-hashing';
import { GatewayError } from '@synapse/gateway/errors';
import { verify } from 'argon2';
import type { AuthenticatedUser } from '../jwt/access-token';
import { InProcessLockoutStore } from '../lockout/in-process-lockout-store';
import { DEFAULT_LOCKOUT_POLICY } from '../lockout/lockout-policy';
import { LoginLockout } from '../lockout/login-lockout.service';
import { AuthFailureLog } from '../login/auth-failure-log';
import type { ClientInfo } from '../login/client-info';
import { RefreshTokens } from '../tokens/refresh-tokens.service';
import { PasswordService } from './password.service';

// argon2id is slow on purpose: several hashes per case outlast Jest's 5 s on a busy 2-core machine.
jest.setTimeout(30_000);

const CLIENT: ClientInfo = { ip: '198.51.100.40', userAgent: 'jest' };
const OPS: AuthenticatedUser = { id: 'u-1', email: 'ops@example.com', role: 'operator' };
const OLD = 'old password 123';
const NEW = 'new password 456';

describe(PasswordService.name, () => {
  let oldHash: string;
  let users: InMemoryUserRepository;
  let tokens: RefreshTokens;
  let warnings: string[];
  let service: PasswordService;

  beforeAll(async () => {
    oldHash = await hashPassword(OLD);
  });

  beforeEach(async () => {
    users = new InMemoryUserRepository();
    const now = new Date(0);
    const base: Omit<User, 'id' | 'email'> = {
      name: null,
      role: 'operator',
      passwordHash: oldHash,
      createdAt: now,
      updatedAt: now,
    };
    await users.save({ ...base, id: 'u-1', email: 'ops@example.com' });
    await users.save({ ...base, id: 'u-2', email: 'other@example.com' });
    await users.save({ ...base, id: 'u-3', email: 'sso@example.com', passwordHash: null });
    tokens = new RefreshTokens(new InMemoryRefreshTokenRepository(), new InProcessSessionRevocations());
    const failures = new AuthFailureLog(new AuditTrail(new InMemoryAuditEventRepository()));
    warnings = [];
    jest
      .spyOn(failures['logger'], 'warn')
      .mockImplementation((message: unknown) => void warnings.push(String(message)));
    service = new PasswordService(
      users,
      new LoginLockout(new InProcessLockoutStore(), DEFAULT_LOCKOUT_POLICY),
      tokens,
      failures,
    );
    jest.spyOn(service['logger'], 'log').mockImplementation(() => undefined);
  });

  async function rejection(run: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewayError);
    const { status, code, message } = error as GatewayError;
    return { status, code, message };
  }

  const storedHash = async (email = 'ops@example.com') => (await users.findByEmail(email))?.passwordHash as string;

  it('stores the new password as argon2id and ends every session of the user, not of others', async () => {
    const mine = [(await tokens.start('u-1', CLIENT)).refreshToken, (await tokens.start('u-1', CLIENT)).refreshToken];
    const theirs = (await tokens.start('u-2', CLIENT)).refreshToken;
    await service.change(OPS, OLD, NEW, CLIENT);
    const hash = await storedHash();
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verify(hash, NEW)).toBe(true);
    expect(await verify(hash, OLD)).toBe(false);
    expect((await users.findByEmail('ops@example.com'))?.updatedAt.getTime()).toBeGreaterThan(0);
    for (const token of mine)
      expect(await tokens.rotate(token, CLIENT)).toMatchObject({ ok: false, reason: 'revoked' });
    expect((await tokens.rotate(theirs, CLIENT)).ok).toBe(true);
  });

  it('refuses a wrong current password with 401, changes nothing and logs it', async () => {
    const session = (await tokens.start('u-1', CLIENT)).refreshToken;
    expect(await rejection(service.change(OPS, 'not my password', NEW, CLIENT))).toEqual({
      status: 401,
      code: 'invalid_credentials',
      message: 'The current password is incorrect.',
    });
    expect(await storedHash()).toBe(oldHash);
    expect((await tokens.rotate(session, CLIENT)).ok).toBe(true);
    expect(warnings).toEqual(['password change failed for o***@example.com from 198.51.100.40 (bad_current_password)']);
  });

  it('locks after 5 wrong current passwords, so that a stolen access token cannot guess the password', async () => {
    for (let i = 0; i < 5; i++) await rejection(service.change(OPS, `guess ${i}`, NEW, CLIENT));
    expect(await rejection(service.change(OPS, OLD, NEW, CLIENT))).toMatchObject({
      status: 429,
      code: 'too_many_attempts',
    });
    expect(await storedHash()).toBe(oldHash);
    expect(warnings.at(-1)).toBe('password change failed for o***@example.com from 198.51.100.40 (locked_account)');
  });

  it('refuses a new password equal to the current one with 400', async () => {
    expect(await rejection(service.change(OPS, OLD, OLD, CLIENT))).toEqual({
      status: 400,
      code: 'invalid_request',
      message: 'newPassword must differ from currentPassword.',
    });
    expect(await storedHash()).toBe(oldHash);
  });

  it('refuses an account without a password (single sign-on) with 400, and one that is gone with 401', async () => {
    const sso = { id: 'u-3', email: 'sso@example.com', role: 'operator' } as const;
    expect(await rejection(service.change(sso, OLD, NEW, CLIENT))).toMatchObject({ status: 400, code: 'no_password' });
    expect(await storedHash('sso@example.com')).toBeNull();
    const gone = { id: 'u-9', email: 'gone@example.com', role: 'operator' } as const;
    expect(await rejection(service.change(gone, OLD, NEW, CLIENT))).toMatchObject({
      status: 401,
      code: 'invalid_token',
    });
    expect(warnings).toEqual([
      'password change failed for s***@example.com from 198.51.100.40 (no_password)',
      'POST /api/auth/password refused from 198.51.100.40 (unknown_user)',
    ]);
  });
});
