import { describeWithRedis, REDIS_URL } from '@synapse/testing';
import Redis from 'ioredis';
import { RedisSessionRevocations } from './redis-session-revocations';
import { InProcessSessionRevocations, type SessionRevocations } from './session-revocations';

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
