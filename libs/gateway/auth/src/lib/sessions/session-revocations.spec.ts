import { describeWithRedis, REDIS_URL } from '@synapse/testing';
import Redis from 'ioredis';
import { RedisSessionRevocations } from './redis-session-revocations';
import { InMemoryRefreshTokenRepository } from '@synapse/gateway/persistence/testing';
import { InProcessSessionRevocations, REVOCATION_TTL_SECONDS, type SessionRevocations } from './session-revocations';

function contract(name: string, make: () => { revocations: SessionRevocations; close(): Promise<void> }) {
  describe(name, () => {
    let subject: ReturnType<typeof make>;
    const unique = () => `${process.pid}-${Math.random().toString(36).slice(2)}`;
    beforeEach(() => (subject = make()));
    afterEach(() => subject.close());

    it('ends one session and leaves the user’s other sessions alone', async () => {
      const { revocations } = subject;
      const [user, ended, other] = [unique(), unique(), unique()];
      await revocations.revokeSession(ended);
      expect(await revocations.isRevoked({ userId: user, sessionId: ended, issuedAt: Date.now() })).toBe(true);
      expect(await revocations.isRevoked({ userId: user, sessionId: other, issuedAt: Date.now() })).toBe(false);
    });

    it('ends every token of a user issued up to then, and none issued after', async () => {
      const { revocations } = subject;
      const user = unique();
      const at = Date.now();
      await revocations.revokeUser(user, at);
      expect(await revocations.isRevoked({ userId: user, sessionId: unique(), issuedAt: at - 1 })).toBe(true);
      expect(await revocations.isRevoked({ userId: user, sessionId: unique(), issuedAt: at })).toBe(true);
      expect(await revocations.isRevoked({ userId: user, sessionId: unique(), issuedAt: at + 1 })).toBe(false);
      expect(await revocations.isRevoked({ userId: unique(), issuedAt: at - 1 })).toBe(false);
    });
  });
}

describe('InProcessSessionRevocations.restore', () => {
  it('revokes again, after a restart, the sessions the store says ended recently', async () => {
    const store = new InMemoryRefreshTokenRepository();
    const now = Date.now();
    const row = (familyId: string, revokedAt: number | null, replacedBy: string | null = null) => ({
      id: `${familyId}-${revokedAt}-${replacedBy}`,
      userId: 'u-1',
      familyId,
      tokenHash: `${familyId}-${revokedAt}-${replacedBy}`,
      expiresAt: new Date(now + 86_400_000),
      revokedAt: revokedAt === null ? null : new Date(revokedAt),
      replacedBy,
      createdAt: new Date(now - 60_000),
      sessionStartedAt: new Date(now - 60_000),
      userAgent: null,
      ip: null,
    });
    await store.insert(row('signed-out', now - 5_000));
    await store.insert(row('rotated', now - 5_000, 'next'));
    await store.insert(row('rotated', null));
    await store.insert(row('long-ago', now - 3_600_000));
    const revocations = new InProcessSessionRevocations();
    expect(await revocations.restore(store, new Date(now - REVOCATION_TTL_SECONDS * 1000))).toBe(1);
    const revoked = (sessionId: string) => revocations.isRevoked({ userId: 'u-1', sessionId, issuedAt: now - 10_000 });
    expect(await revoked('signed-out')).toBe(true);
    expect(await revoked('rotated')).toBe(false);
    expect(await revoked('long-ago')).toBe(false);
  });
});

contract(InProcessSessionRevocations.name, () => ({
  revocations: new InProcessSessionRevocations(),
  close: async () => undefined,
}));

describeWithRedis('with Redis', () => {
  contract(RedisSessionRevocations.name, () => {
    const redis = new Redis(REDIS_URL);
    return { revocations: new RedisSessionRevocations(redis), close: async () => void redis.disconnect() };
  });

  it('lets a replica see what another revoked', async () => {
    const [a, b] = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
    const session = `shared-${process.pid}-${Date.now()}`;
    await new RedisSessionRevocations(a).revokeSession(session);
    expect(await new RedisSessionRevocations(b).isRevoked({ userId: 'u', sessionId: session, issuedAt: 0 })).toBe(true);
    a.disconnect();
    b.disconnect();
  });
});
