import { describeWithRedis, REDIS_URL } from '@synapse/testing';
import Redis from 'ioredis';
import { InProcessLockoutStore } from './in-process-lockout-store';
import type { LockoutStore } from './lockout-store';
import { LOCKOUT_KEY_PREFIX, RedisLockoutStore } from './redis-lockout-store';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The behaviour both stores promise; real time, short windows. */
function lockoutStoreContract(open: () => LockoutStore): void {
  let store: LockoutStore;
  beforeEach(() => (store = open()));

  it('counts failures per key and tells how long the window has left', async () => {
    expect(await store.increment('a', 60_000)).toEqual({ count: 1, ttlMs: expect.any(Number) });
    const second = await store.increment('a', 60_000);
    expect(second.count).toBe(2);
    expect(second.ttlMs).toBeGreaterThan(59_000);
    expect(second.ttlMs).toBeLessThanOrEqual(60_000);
    expect((await store.increment('b', 60_000)).count).toBe(1);
  });

  it('forgets a count once its window has passed, and does not stretch the window on later failures', async () => {
    // Sleeps only ever last longer on a busy machine, so each bound holds whatever the delay, as
    // long as no single stall outlasts the whole window.
    await store.increment('a', 2_000);
    await sleep(600);
    const second = await store.increment('a', 2_000);
    expect(second.count).toBe(2);
    // A timer may fire a millisecond before Date.now() shows its delay passed (1,401 seen in CI).
    expect(second.ttlMs).toBeLessThanOrEqual(1_401);
    await sleep(1_500);
    expect((await store.increment('a', 2_000)).count).toBe(1);
  });

  it('keeps a held count for the hold time, past its window', async () => {
    await store.increment('a', 100);
    await store.hold('a', 10_000);
    await sleep(150);
    const after = await store.increment('a', 100);
    expect(after.count).toBe(2);
    expect(after.ttlMs).toBeGreaterThan(5_000);
  });

  it('takes a failure back without going below zero or creating a count', async () => {
    await store.release('a');
    expect((await store.increment('a', 60_000)).count).toBe(1);
    await store.increment('a', 60_000);
    await store.release('a');
    await store.release('a');
    await store.release('a');
    expect((await store.increment('a', 60_000)).count).toBe(1);
  });

  it('forgets a count on reset', async () => {
    await store.increment('a', 60_000);
    await store.increment('a', 60_000);
    await store.reset('a');
    expect((await store.increment('a', 60_000)).count).toBe(1);
  });
}

describe(InProcessLockoutStore.name, () => {
  lockoutStoreContract(() => new InProcessLockoutStore());
});

describeWithRedis(RedisLockoutStore.name, () => {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  let prefix = '';

  beforeAll(() => redis.connect());
  afterEach(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  });
  afterAll(() => redis.quit());

  lockoutStoreContract(() => {
    prefix = `${LOCKOUT_KEY_PREFIX}test:${process.pid}:${Math.random().toString(36).slice(2)}:`;
    return new RedisLockoutStore(redis, prefix);
  });

  it('keeps its counters under synapse:lockout:, each with an expiry', async () => {
    const store = new RedisLockoutStore(redis);
    const key = `test:${process.pid}:${Math.random().toString(36).slice(2)}`;
    prefix = `${LOCKOUT_KEY_PREFIX}${key}`;
    await store.increment(key, 60_000);
    expect(await redis.get(`synapse:lockout:${key}`)).toBe('1');
    expect(await redis.pttl(`synapse:lockout:${key}`)).toBeGreaterThan(59_000);
  });
});
