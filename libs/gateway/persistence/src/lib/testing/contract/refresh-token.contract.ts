import { createHash, randomUUID } from 'node:crypto';
import type { RefreshToken } from '../../models/refresh-token';
import type { RefreshTokenRepository } from '../../repositories';
import type { ContractStore } from './contract-harness';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const DAY = 24 * 60 * 60 * 1000;

function token(overrides: Partial<RefreshToken> = {}): RefreshToken {
  return {
    id: randomUUID(),
    userId: 'user-1',
    familyId: 'family-1',
    tokenHash: createHash('sha256').update(randomUUID()).digest('hex'),
    expiresAt: later(30 * DAY),
    revokedAt: null,
    replacedBy: null,
    createdAt: T0,
    sessionStartedAt: T0,
    userAgent: null,
    ip: null,
    ...overrides,
  };
}

export function refreshTokenContract(store: ContractStore<{ refreshTokens: RefreshTokenRepository }>): void {
  let repo: RefreshTokenRepository;
  beforeEach(() => {
    repo = store.repos.refreshTokens;
  });

  it('finds a token by its hash with every field intact, and nothing for an unknown hash', async () => {
    const stored = token({ familyId: randomUUID(), userAgent: 'curl/8.5', ip: '203.0.113.7' });
    await repo.insert(stored);
    expect(await repo.findByHash(stored.tokenHash)).toEqual(stored);
    expect(await repo.findByHash('0'.repeat(64))).toBeNull();
  });

  it('refuses a second token with the same hash', async () => {
    const first = token({ familyId: randomUUID() });
    await repo.insert(first);
    await expect(repo.insert(token({ tokenHash: first.tokenHash }))).rejects.toThrow();
    expect((await repo.findByHash(first.tokenHash))?.id).toBe(first.id);
  });

  it('rotates an active token once: revoked, pointing at its successor, which is stored', async () => {
    const familyId = randomUUID();
    const used = token({ familyId });
    await repo.insert(used);
    const successor = token({ familyId, createdAt: later(1000) });
    expect(await repo.rotate(used.id, successor, later(1000))).toBe(true);
    expect(await repo.findByHash(used.tokenHash)).toMatchObject({ revokedAt: later(1000), replacedBy: successor.id });
    expect(await repo.findByHash(successor.tokenHash)).toEqual(successor);

    const second = token({ familyId });
    expect(await repo.rotate(used.id, second, later(2000))).toBe(false);
    expect(await repo.findByHash(second.tokenHash)).toBeNull();
    expect(await repo.findByHash(used.tokenHash)).toMatchObject({ revokedAt: later(1000), replacedBy: successor.id });
  });

  it('lets exactly one of two concurrent rotations of the same token win', async () => {
    const familyId = randomUUID();
    const used = token({ familyId });
    await repo.insert(used);
    const [a, b] = [token({ familyId }), token({ familyId })];
    const won = await Promise.all([repo.rotate(used.id, a, later(1000)), repo.rotate(used.id, b, later(1000))]);
    expect([...won].sort()).toEqual([false, true]);
    const [winner, loser] = won[0] ? [a, b] : [b, a];
    expect(await repo.findByHash(winner.tokenHash)).toEqual(winner);
    expect(await repo.findByHash(loser.tokenHash)).toBeNull();
    expect((await repo.findByHash(used.tokenHash))?.replacedBy).toBe(winner.id);
  });

  it('does not rotate a token revoked otherwise', async () => {
    const used = token({ familyId: randomUUID(), revokedAt: T0 });
    await repo.insert(used);
    expect(await repo.rotate(used.id, token(), later(1000))).toBe(false);
  });

  it('revokes the active tokens of one family only, keeping earlier revocation times', async () => {
    const familyId = randomUUID();
    const rotated = token({ familyId, revokedAt: T0 });
    const active = [token({ familyId }), token({ familyId })];
    const otherFamily = token({ familyId: randomUUID() });
    for (const t of [rotated, ...active, otherFamily]) await repo.insert(t);
    expect(await repo.revokeFamily(familyId, later(5000))).toBe(2);
    for (const t of active) expect((await repo.findByHash(t.tokenHash))?.revokedAt).toEqual(later(5000));
    expect((await repo.findByHash(rotated.tokenHash))?.revokedAt).toEqual(T0);
    expect((await repo.findByHash(otherFamily.tokenHash))?.revokedAt).toBeNull();
    expect(await repo.revokeFamily(familyId, later(6000))).toBe(0);
  });

  it("revokes every family of one user and leaves other users' tokens alone", async () => {
    const userId = randomUUID();
    const mine = [token({ userId, familyId: randomUUID() }), token({ userId, familyId: randomUUID() })];
    const theirs = token({ userId: randomUUID(), familyId: randomUUID() });
    for (const t of [...mine, theirs]) await repo.insert(t);
    expect(await repo.revokeAllOfUser(userId, later(7000))).toBe(2);
    for (const t of mine) expect((await repo.findByHash(t.tokenHash))?.revokedAt).toEqual(later(7000));
    expect((await repo.findByHash(theirs.tokenHash))?.revokedAt).toBeNull();
  });

  it('lists the sessions ended since a moment, once each, but not tokens replaced by a rotation', async () => {
    const [signedOut, rotatedOnly, endedBefore] = [randomUUID(), randomUUID(), randomUUID()];
    const userId = randomUUID();
    await repo.insert(token({ userId, familyId: signedOut, revokedAt: later(9000) }));
    await repo.insert(token({ userId, familyId: signedOut, revokedAt: later(9500) }));
    await repo.insert(token({ userId, familyId: rotatedOnly, revokedAt: later(9000), replacedBy: randomUUID() }));
    await repo.insert(token({ userId, familyId: endedBefore, revokedAt: later(1000) }));
    const ended = (await repo.endedSessionsSince(later(8000))).filter((s) => s.userId === userId);
    expect(ended).toEqual([{ sessionId: signedOut, userId }]);
  });

  it('deletes the tokens that expired before a moment, and no others', async () => {
    const familyId = randomUUID();
    const expired = token({ familyId, expiresAt: later(-DAY) });
    const current = token({ familyId, expiresAt: later(DAY) });
    await repo.insert(expired);
    await repo.insert(current);
    expect(await repo.deleteExpired(T0)).toBe(1);
    expect(await repo.findByHash(expired.tokenHash)).toBeNull();
    expect(await repo.findByHash(current.tokenHash)).toEqual(current);
  });
}
