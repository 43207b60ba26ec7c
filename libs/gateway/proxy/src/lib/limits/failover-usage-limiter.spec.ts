import { InMemoryThrottlerStorage, type RedisReachability } from '@synapse/gateway/cluster';
import { freePort } from '@synapse/testing';
import Redis from 'ioredis';
import { FailoverUsageLimiter } from './failover-usage-limiter';
import { InMemoryUsageLimiter } from './in-memory-usage-limiter';
import type { LimitScope } from './limit-scope';
import { RedisUsageLimiter } from './redis-usage-limiter';

const scope: LimitScope = { kind: 'key', name: 'key:a', limits: { concurrency: 1 } };

/** A Redis whose reachability the test sets; the shared side is a second in-process limiter. */
function setUp() {
  const returns: (() => void)[] = [];
  const reachability = { up: true, onReturn: (callback: () => void) => returns.push(callback) };
  const shared = new InMemoryUsageLimiter();
  const local = new InMemoryUsageLimiter();
  const limiter = new FailoverUsageLimiter(
    shared,
    local,
    reachability as unknown as RedisReachability,
    new InMemoryThrottlerStorage(),
  );
  return { reachability, shared, local, limiter };
}

describe('FailoverUsageLimiter', () => {
  it('counts on the shared limiter while Redis is up', async () => {
    const { limiter, shared } = setUp();
    const verdict = await limiter.begin([scope], 0, Date.now());
    expect(verdict).toEqual({ allowed: true });
    expect((await shared.begin([scope], 0, Date.now())).allowed).toBe(false);
  });

  it('counts locally while Redis is down, and releases where it counted', async () => {
    const { limiter, reachability, shared, local } = setUp();
    reachability.up = false;
    const verdict = await limiter.begin([scope], 0, Date.now());
    expect(verdict).toEqual({ allowed: true, local: true });
    expect((await limiter.begin([scope], 0, Date.now())).allowed).toBe(false);
    // Redis is back before the call ends: the local slot is freed, the shared one never taken.
    reachability.up = true;
    limiter.end([scope], verdict);
    expect((await local.begin([scope], 0, Date.now())).allowed).toBe(true);
    expect((await shared.begin([scope], 0, Date.now())).allowed).toBe(true);
  });

  it('falls back locally when a shared command fails', async () => {
    const { limiter, shared } = setUp();
    jest.spyOn(shared, 'begin').mockRejectedValueOnce(new Error('Connection is closed.'));
    expect(await limiter.begin([scope], 0, Date.now())).toEqual({ allowed: true, local: true });
  });

  it('counts requests per minute through the ThrottlerStorage when the shared script cannot run', async () => {
    // A Redis that refuses connections while the reachability probe still says up.
    const redis = new Redis({
      port: await freePort(),
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
    });
    redis.on('error', () => undefined);
    const reachability = { up: true, onReturn: () => undefined } as unknown as RedisReachability;
    const limiter = new FailoverUsageLimiter(
      new RedisUsageLimiter(redis),
      new InMemoryUsageLimiter(),
      reachability,
      new InMemoryThrottlerStorage(),
    );
    const rpm: LimitScope = { kind: 'key', name: 'key:rpm', limits: { rpm: 1 } };
    try {
      expect(limiter.countsRequests).toBe(true);
      expect(await limiter.begin([rpm], 0, Date.now(), 0, true)).toEqual({ allowed: true, local: true });
      expect(await limiter.begin([rpm], 0, Date.now(), 0, true)).toMatchObject({ allowed: false, kind: 'requests' });
    } finally {
      redis.disconnect();
    }
  });
});
