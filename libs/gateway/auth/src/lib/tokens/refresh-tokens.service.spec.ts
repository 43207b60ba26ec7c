import { InProcessSessionRevocations } from '../sessions/session-revocations';
import type { RefreshToken } from '@synapse/gateway/persistence';
import { InMemoryRefreshTokenRepository } from '@synapse/gateway/persistence/testing';
import { randomUUID } from 'node:crypto';
import type { ClientInfo } from '../login/client-info';
import { hashRefreshToken } from './refresh-token-secret';
import { RefreshTokens, type Rotation } from './refresh-tokens.service';

const CLIENT: ClientInfo = { ip: '198.51.100.7', userAgent: 'console/1.0' };
const DAY = 24 * 60 * 60 * 1000;

function rotated(rotation: Rotation): string {
  if (!rotation.ok) throw new Error(`expected a rotation, got ${rotation.reason}`);
  return rotation.refreshToken;
}

describe(RefreshTokens.name, () => {
  let repo: InMemoryRefreshTokenRepository;
  let tokens: RefreshTokens;

  beforeEach(() => {
    repo = new InMemoryRefreshTokenRepository();
    tokens = new RefreshTokens(repo, new InProcessSessionRevocations());
  });

  const stored = (token: string) => repo.findByHash(hashRefreshToken(token));

  it('issues 256 random bits in base64url and stores only their hash, valid for 30 days', async () => {
    tokens = new RefreshTokens(repo, new InProcessSessionRevocations(), { maxAgeSeconds: 60 * 24 * 3600 });
    const before = Date.now();
    const token = (await tokens.start('u-1', CLIENT)).refreshToken;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await stored(token);
    expect(row).toMatchObject({ userId: 'u-1', revokedAt: null, replacedBy: null, ...CLIENT });
    expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token);
    expect((row?.expiresAt.getTime() ?? 0) - before).toBeGreaterThanOrEqual(30 * DAY - 1000);
    expect((await tokens.start('u-1', CLIENT)).refreshToken).not.toBe(token);
  });

  it('rotates: a new token in the same family, and the used one revoked and pointing at it', async () => {
    const first = (await tokens.start('u-1', CLIENT)).refreshToken;
    const rotation = await tokens.rotate(first, { ip: '198.51.100.8', userAgent: null });
    expect(rotation).toEqual({
      ok: true,
      userId: 'u-1',
      sessionId: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: expect.any(Number),
    });
    const second = rotated(rotation);
    const [used, next] = [await stored(first), await stored(second)];
    // The session is the family: access tokens signed after a refresh belong to the same one.
    expect(rotation.ok && rotation.sessionId).toBe(used?.familyId);
    expect(next).toMatchObject({ familyId: used?.familyId, revokedAt: null, ip: '198.51.100.8' });
    expect(used).toMatchObject({ revokedAt: expect.any(Date), replacedBy: next?.id });
    expect(rotated(await tokens.rotate(second, CLIENT))).toEqual(expect.any(String));
  });

  it('revokes the whole family when a rotated token comes back, and leaves other sessions alone', async () => {
    const first = (await tokens.start('u-1', CLIENT)).refreshToken;
    const otherSession = (await tokens.start('u-1', CLIENT)).refreshToken;
    const second = rotated(await tokens.rotate(first, CLIENT));

    expect(await tokens.rotate(first, CLIENT)).toEqual({ ok: false, reason: 'reused', userId: 'u-1' });
    expect((await stored(second))?.revokedAt).toEqual(expect.any(Date));
    expect(await tokens.rotate(second, CLIENT)).toEqual({ ok: false, reason: 'revoked', userId: 'u-1' });
    expect(rotated(await tokens.rotate(otherSession, CLIENT))).toEqual(expect.any(String));
  });

  it('lets one of two concurrent refreshes with the same token win, then ends the family', async () => {
    const first = (await tokens.start('u-1', CLIENT)).refreshToken;
    const results = await Promise.all([tokens.rotate(first, CLIENT), tokens.rotate(first, CLIENT)]);
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: 'reused', userId: 'u-1' });
    const winner = results.find((r) => r.ok) as Rotation & { ok: true };
    expect(await tokens.rotate(winner.refreshToken, CLIENT)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('carries the session start through rotations and cuts the token life at the session end', async () => {
    const revocations = new InProcessSessionRevocations();
    tokens = new RefreshTokens(repo, revocations, { maxAgeSeconds: 3600 });
    const first = await tokens.start('u-1', CLIENT);
    expect(first.expiresIn).toBeLessThanOrEqual(3600);
    expect(first.expiresIn).toBeGreaterThan(3500);
    const rotation = await tokens.rotate(first.refreshToken, CLIENT);
    const [used, next] = [await stored(first.refreshToken), await stored(rotated(rotation))];
    expect(next?.sessionStartedAt).toEqual(used?.sessionStartedAt);
    expect(next?.expiresAt.getTime()).toBe((used?.sessionStartedAt?.getTime() ?? 0) + 3600 * 1000);
    expect(rotation.ok && rotation.expiresIn).toBeLessThanOrEqual(3600);
  });

  it('refuses a refresh past the session maximum age and ends the session, access tokens included', async () => {
    const revocations = new InProcessSessionRevocations();
    tokens = new RefreshTokens(repo, revocations);
    const familyId = randomUUID();
    // Refreshed yesterday, so the token itself is fresh; the sign-in was eight days ago.
    await repo.insert({
      id: randomUUID(),
      userId: 'u-1',
      familyId,
      tokenHash: hashRefreshToken('old-session'),
      expiresAt: new Date(Date.now() + 29 * DAY),
      revokedAt: null,
      replacedBy: null,
      createdAt: new Date(Date.now() - DAY),
      sessionStartedAt: new Date(Date.now() - 8 * DAY),
      userAgent: null,
      ip: null,
    });
    expect(await tokens.rotate('old-session', CLIENT)).toEqual({ ok: false, reason: 'session_expired', userId: 'u-1' });
    expect((await stored('old-session'))?.revokedAt).toEqual(expect.any(Date));
    expect(await revocations.isRevoked({ userId: 'u-1', sessionId: familyId, issuedAt: Date.now() })).toBe(true);
    expect(await tokens.rotate('old-session', CLIENT)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it("counts a row without a session start (written by an older replica) from the row's creation", async () => {
    await repo.insert({
      id: randomUUID(),
      userId: 'u-1',
      familyId: randomUUID(),
      tokenHash: hashRefreshToken('legacy'),
      expiresAt: new Date(Date.now() + 22 * DAY),
      revokedAt: null,
      replacedBy: null,
      createdAt: new Date(Date.now() - 8 * DAY),
      sessionStartedAt: null,
      userAgent: null,
      ip: null,
    });
    expect(await tokens.rotate('legacy', CLIENT)).toMatchObject({ ok: false, reason: 'session_expired' });
  });

  it('refuses an expired token without issuing a successor', async () => {
    const row: RefreshToken = {
      id: randomUUID(),
      userId: 'u-1',
      familyId: randomUUID(),
      tokenHash: hashRefreshToken('expired-token'),
      expiresAt: new Date(Date.now() - 1000),
      revokedAt: null,
      replacedBy: null,
      createdAt: new Date(Date.now() - 31 * DAY),
      // A session younger than its maximum age: the token's own expiry is what refuses it.
      sessionStartedAt: new Date(Date.now() - DAY),
      userAgent: null,
      ip: null,
    };
    await repo.insert(row);
    expect(await tokens.rotate('expired-token', CLIENT)).toEqual({ ok: false, reason: 'expired', userId: 'u-1' });
    expect(await stored('expired-token')).toEqual(row);
  });

  it('refuses a token it never issued, such as a tampered one', async () => {
    const token = (await tokens.start('u-1', CLIENT)).refreshToken;
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(await tokens.rotate(tampered, CLIENT)).toEqual({ ok: false, reason: 'unknown_token' });
    expect((await stored(token))?.revokedAt).toBeNull();
  });

  it('ends the session of a token on sign-out, and knows nothing of a token never issued', async () => {
    const first = (await tokens.start('u-1', CLIENT)).refreshToken;
    const second = rotated(await tokens.rotate(first, CLIENT));
    expect(await tokens.endSession(second)).toEqual({ userId: 'u-1' });
    expect(await tokens.rotate(second, CLIENT)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(await tokens.endSession('never-issued')).toBeNull();
  });

  it("ends every session of one user, and no one else's", async () => {
    const a = (await tokens.start('u-1', CLIENT)).refreshToken;
    const b = (await tokens.start('u-1', CLIENT)).refreshToken;
    const theirs = (await tokens.start('u-2', CLIENT)).refreshToken;
    expect(await tokens.endAllSessions('u-1')).toBe(2);
    for (const token of [a, b]) expect(await tokens.rotate(token, CLIENT)).toMatchObject({ reason: 'revoked' });
    expect((await tokens.rotate(theirs, CLIENT)).ok).toBe(true);
  });

  it('deletes expired tokens when a session starts', async () => {
    await repo.insert({
      id: randomUUID(),
      userId: 'u-1',
      familyId: randomUUID(),
      tokenHash: hashRefreshToken('old'),
      expiresAt: new Date(Date.now() - DAY),
      revokedAt: null,
      replacedBy: null,
      createdAt: new Date(Date.now() - 31 * DAY),
      sessionStartedAt: new Date(Date.now() - 31 * DAY),
      userAgent: null,
      ip: null,
    });
    await tokens.start('u-1', CLIENT);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await stored('old')).toBeNull();
  });
});
