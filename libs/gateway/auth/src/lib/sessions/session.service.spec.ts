import { InProcessSessionRevocations } from './session-revocations';
import { InMemoryAuditEventRepository } from '@synapse/gateway/persistence/testing';
import { AuditTrail } from '@synapse/gateway/audit';
import { JwtService } from '@nestjs/jwt';
import { InMemoryRefreshTokenRepository, InMemoryUserRepository } from '@synapse/gateway/persistence/testing';
import { GatewayError } from '@synapse/gateway/errors';
import { randomUUID } from 'node:crypto';
import type { AccessTokenClaims } from '../jwt/access-token';
import { AuthFailureLog } from '../login/auth-failure-log';
import type { ClientInfo } from '../login/client-info';
import { AccessTokenSigner } from '../tokens/access-token-signer';
import { hashRefreshToken } from '../tokens/refresh-token-secret';
import { RefreshTokens } from '../tokens/refresh-tokens.service';
import { SessionService } from './session.service';

const CLIENT: ClientInfo = { ip: '198.51.100.30', userAgent: 'jest' };

describe(SessionService.name, () => {
  const jwt = new JwtService({ secret: 'session-test-key', signOptions: { expiresIn: 900 } });
  let users: InMemoryUserRepository;
  let repo: InMemoryRefreshTokenRepository;
  let tokens: RefreshTokens;
  let warnings: string[];
  let sessions: SessionService;

  beforeEach(async () => {
    users = new InMemoryUserRepository();
    const now = new Date();
    await users.save({
      id: 'u-1',
      email: 'ops@example.com',
      name: null,
      role: 'operator',
      passwordHash: null,
      createdAt: now,
      updatedAt: now,
    });
    repo = new InMemoryRefreshTokenRepository();
    tokens = new RefreshTokens(repo, new InProcessSessionRevocations());
    const failures = new AuthFailureLog(new AuditTrail(new InMemoryAuditEventRepository()));
    warnings = [];
    jest
      .spyOn(failures['logger'], 'warn')
      .mockImplementation((message: unknown) => void warnings.push(String(message)));
    sessions = new SessionService(users, tokens, new AccessTokenSigner(jwt), failures);
  });

  async function rejection(run: Promise<unknown>): Promise<{ status: number; code: string }> {
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewayError);
    return { status: (error as GatewayError).status, code: (error as GatewayError).code };
  }

  it('exchanges a refresh token for a new access token and the next refresh token', async () => {
    const first = (await tokens.start('u-1', CLIENT)).refreshToken;
    const ops = await users.findByEmail('ops@example.com');
    if (!ops) throw new Error('the spec signs in ops@example.com');
    await users.save({ ...ops, role: 'auditor' });
    const pair = await sessions.refresh(first, CLIENT);
    expect(pair).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      refreshExpiresIn: expect.any(Number),
    });
    // The session's end (7 days after the sign-in, a moment ago) cuts the refresh token's 30 days short.
    expect(pair.refreshExpiresIn).toBeGreaterThan(604_000);
    expect(pair.refreshExpiresIn).toBeLessThanOrEqual(604_800);
    expect(pair.refreshToken).not.toBe(first);
    // The role is read again at each refresh.
    expect(await jwt.verifyAsync<AccessTokenClaims>(pair.accessToken)).toMatchObject({ sub: 'u-1', role: 'auditor' });
    expect((await sessions.refresh(pair.refreshToken, CLIENT)).refreshToken).toEqual(expect.any(String));
  });

  it('refuses a spent token with 401 and ends the session, so the thief and the owner both sign in again', async () => {
    const first = (await tokens.start('u-1', CLIENT)).refreshToken;
    const second = (await sessions.refresh(first, CLIENT)).refreshToken;
    expect(await rejection(sessions.refresh(first, { ip: '203.0.113.66', userAgent: null }))).toEqual({
      status: 401,
      code: 'refresh_token_reused',
    });
    expect(warnings).toEqual(['refresh failed for user u-1 from 203.0.113.66 (reused: session revoked)']);
    expect(await rejection(sessions.refresh(second, CLIENT))).toEqual({ status: 401, code: 'refresh_token_revoked' });
  });

  it('refuses an expired, a tampered and a revoked token, each with its own code and log line', async () => {
    // Started first: a new session deletes the expired tokens.
    const live = (await tokens.start('u-1', CLIENT)).refreshToken;
    await repo.insert({
      id: randomUUID(),
      userId: 'u-1',
      familyId: randomUUID(),
      tokenHash: hashRefreshToken('expired'),
      expiresAt: new Date(Date.now() - 1),
      revokedAt: null,
      replacedBy: null,
      createdAt: new Date(0),
      sessionStartedAt: new Date(Date.now() - 1000),
      userAgent: null,
      ip: null,
    });
    expect(await rejection(sessions.refresh('expired', CLIENT))).toEqual({
      status: 401,
      code: 'refresh_token_expired',
    });
    expect(await rejection(sessions.refresh(`${live}x`, CLIENT))).toEqual({
      status: 401,
      code: 'invalid_refresh_token',
    });
    await sessions.logout(live, CLIENT);
    expect(await rejection(sessions.refresh(live, CLIENT))).toEqual({ status: 401, code: 'refresh_token_revoked' });
    expect(warnings).toEqual([
      'refresh failed for user u-1 from 198.51.100.30 (expired)',
      'refresh failed from 198.51.100.30 (unknown_token)',
      'refresh failed for user u-1 from 198.51.100.30 (revoked)',
    ]);
  });

  it('ends the session when its account no longer exists', async () => {
    const first = (await tokens.start('u-gone', CLIENT)).refreshToken;
    expect(await rejection(sessions.refresh(first, CLIENT))).toEqual({ status: 401, code: 'refresh_token_revoked' });
    expect(warnings).toEqual(['refresh failed for user u-gone from 198.51.100.30 (unknown_user)']);
    expect(await repo.revokeAllOfUser('u-gone', new Date())).toBe(0);
  });

  it('signs out: the whole family is revoked; an unknown token is a 401, logged', async () => {
    const first = (await tokens.start('u-1', CLIENT)).refreshToken;
    const second = (await sessions.refresh(first, CLIENT)).refreshToken;
    await expect(sessions.logout(second, CLIENT)).resolves.toBeUndefined();
    expect(await rejection(sessions.refresh(second, CLIENT))).toMatchObject({ status: 401 });
    // Signing out twice is harmless.
    await expect(sessions.logout(second, CLIENT)).resolves.toBeUndefined();
    expect(await rejection(sessions.logout('not-a-token', CLIENT))).toEqual({
      status: 401,
      code: 'invalid_refresh_token',
    });
    expect(warnings.at(-1)).toBe('logout failed from 198.51.100.30 (unknown_token)');
  });
});
