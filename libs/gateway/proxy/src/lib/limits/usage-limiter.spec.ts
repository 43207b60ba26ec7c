import { describeWithRedis, REDIS_URL } from '@synapse/testing';
import Redis from 'ioredis';
import { InMemoryKeyLimiter } from './in-memory-key-limiter';
import type { KeyLimiter } from './key-limiter';
import { RedisKeyLimiter } from './redis-key-limiter';

const MINUTE_START = Date.UTC(2026, 0, 1, 12, 0, 0);

/** The same rules for both limiters. */
function limiterContract(name: string, make: () => { limiter: KeyLimiter; keyId: string; close(): Promise<void> }) {
  describe(name, () => {
    let subject: ReturnType<typeof make>;
    beforeEach(() => (subject = make()));
    afterEach(() => subject.close());

    it('admits rpm calls a minute, then refuses until the next minute', async () => {
      const { limiter, keyId } = subject;
      const limits = { rpm: 2 };
      expect(await limiter.begin(keyId, limits, 0, MINUTE_START)).toEqual({ allowed: true });
      expect(await limiter.begin(keyId, limits, 0, MINUTE_START + 1000)).toEqual({ allowed: true });
      expect(await limiter.begin(keyId, limits, 0, MINUTE_START + 20_000)).toEqual({
        allowed: false,
        kind: 'requests',
        limit: 2,
        retryAfterSeconds: 40,
      });
      expect(await limiter.begin(keyId, limits, 0, MINUTE_START + 60_000)).toEqual({ allowed: true });
    });

    it('checks tokens with the estimate and charges what was used', async () => {
      const { limiter, keyId } = subject;
      const limits = { tpm: 100 };
      expect((await limiter.begin(keyId, limits, 150, MINUTE_START)).allowed).toBe(false);
      expect((await limiter.begin(keyId, limits, 10, MINUTE_START)).allowed).toBe(true);
      limiter.charge(keyId, limits, 95, MINUTE_START);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await limiter.begin(keyId, limits, 10, MINUTE_START)).toMatchObject({ allowed: false, kind: 'tokens' });
      expect((await limiter.begin(keyId, limits, 4, MINUTE_START)).allowed).toBe(true);
    });

    it('holds at most `concurrency` calls in flight', async () => {
      const { limiter, keyId } = subject;
      const limits = { concurrency: 1 };
      expect((await limiter.begin(keyId, limits, 0, MINUTE_START)).allowed).toBe(true);
      expect(await limiter.begin(keyId, limits, 0, MINUTE_START)).toMatchObject({
        allowed: false,
        kind: 'concurrency',
      });
      limiter.end(keyId, limits);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await limiter.begin(keyId, limits, 0, MINUTE_START)).allowed).toBe(true);
    });
  });
}

limiterContract(InMemoryKeyLimiter.name, () => ({
  limiter: new InMemoryKeyLimiter(),
  keyId: 'key-1',
  close: async () => undefined,
}));

describeWithRedis('with Redis', () => {
  limiterContract(RedisKeyLimiter.name, () => {
    const redis = new Redis(REDIS_URL);
    return {
      limiter: new RedisKeyLimiter(redis),
      keyId: `test-${process.pid}-${Math.random().toString(36).slice(2)}`,
      close: async () => void redis.disconnect(),
    };
  });

  it('lets two replicas together admit no more than the limit', async () => {
    const [a, b] = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
    const keyId = `shared-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const replicas = [new RedisKeyLimiter(a), new RedisKeyLimiter(b)];
    const verdicts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => replicas[i % 2].begin(keyId, { rpm: 5 }, 0, MINUTE_START)),
    );
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
    a.disconnect();
    b.disconnect();
  });
});
