import type { ThrottlerStorage } from '@nestjs/throttler';
import { describeWithRedis, REDIS_URL } from '@synapse/testing';
import Redis from 'ioredis';
import { InMemoryThrottlerStorage } from './in-memory-throttler-storage';
import { RedisThrottlerStorage } from './redis-throttler-storage';

const unique = () => `test-${process.pid}-${Math.random().toString(36).slice(2)}`;

/** The same rules for both storages: what ThrottlerGuard and the /v1 limits rely on. */
function storageContract(name: string, make: () => { storage: ThrottlerStorage; close(): Promise<void> }) {
  describe(name, () => {
    let subject: ReturnType<typeof make>;
    beforeEach(() => (subject = make()));
    afterEach(() => subject.close());

    it('admits `limit` hits in a window, then refuses with the time left', async () => {
      const { storage } = subject;
      const key = unique();
      const first = await storage.increment(key, 60_000, 2, 0, 'default');
      expect(first).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
      expect((await storage.increment(key, 60_000, 2, 0, 'default')).isBlocked).toBe(false);
      const refused = await storage.increment(key, 60_000, 2, 0, 'default');
      expect(refused).toMatchObject({ totalHits: 3, isBlocked: true });
      expect(refused.timeToBlockExpire).toBeGreaterThan(55);
      expect(refused.timeToBlockExpire).toBeLessThanOrEqual(60);
    });

    it('blocks for blockDuration once over the limit', async () => {
      const { storage } = subject;
      const key = unique();
      await storage.increment(key, 1000, 1, 5000, 'login');
      const refused = await storage.increment(key, 1000, 1, 5000, 'login');
      expect(refused).toMatchObject({ isBlocked: true, timeToBlockExpire: 5 });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      // The window is over, the block is not.
      expect(await storage.increment(key, 1000, 1, 5000, 'login')).toMatchObject({ isBlocked: true });
    });

    it('opens a new window when the last one is over', async () => {
      const { storage } = subject;
      const key = unique();
      await storage.increment(key, 300, 1, 0, 'default');
      expect((await storage.increment(key, 300, 1, 0, 'default')).isBlocked).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(await storage.increment(key, 300, 1, 0, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
    });

    it('counts throttlers and keys apart', async () => {
      const { storage } = subject;
      const key = unique();
      await storage.increment(key, 60_000, 1, 0, 'a');
      expect((await storage.increment(key, 60_000, 1, 0, 'b')).isBlocked).toBe(false);
      expect((await storage.increment(`${key}-other`, 60_000, 1, 0, 'a')).isBlocked).toBe(false);
    });
  });
}

storageContract(InMemoryThrottlerStorage.name, () => ({
  storage: new InMemoryThrottlerStorage(),
  close: async () => undefined,
}));

describeWithRedis('with Redis', () => {
  storageContract(RedisThrottlerStorage.name, () => {
    const redis = new Redis(REDIS_URL);
    return { storage: new RedisThrottlerStorage(redis), close: async () => void redis.disconnect() };
  });

  it('lets two replicas together admit no more than the limit', async () => {
    const [a, b] = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
    const replicas = [new RedisThrottlerStorage(a), new RedisThrottlerStorage(b)];
    const key = unique();
    const records = await Promise.all(
      Array.from({ length: 20 }, (_, i) => replicas[i % 2].increment(key, 60_000, 7, 0, 'rpm')),
    );
    expect(records.filter((r) => !r.isBlocked)).toHaveLength(7);
    a.disconnect();
    b.disconnect();
  });
});
