import { InMemoryThrottlerStorage, RedisThrottlerStorage } from '@synapse/gateway/cluster';
import { describeWithRedis, REDIS_URL } from '@synapse/testing';
import Redis from 'ioredis';
import { InMemoryUsageLimiter } from './in-memory-usage-limiter';
import { LimitGate, RPM_THROTTLER } from './limit-gate';
import { limitScope } from './limit-scope';
import { RedisUsageLimiter } from './redis-usage-limiter';
import type { UsageLimiter } from './usage-limiter';

// Noon on the 15th of next month: Redis expires spend counters by the wall clock, so the test's time lies ahead.
const today = new Date();
const MINUTE_START = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 15, 12, 0, 0);
const NEXT_DAY = MINUTE_START + 12 * 3600_000;
const NEXT_MONTH = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 2, 1);
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

interface Subject {
  limiter: UsageLimiter;
  gate: LimitGate;
  id: string;
  close(): Promise<void>;
}

/** The same rules for both limiters. */
function limiterContract(name: string, make: () => Subject) {
  describe(name, () => {
    let subject: Subject;
    beforeEach(() => (subject = make()));
    afterEach(() => subject.close());

    it('admits rpm calls (through the ThrottlerStorage), then refuses with the scope and the wait', async () => {
      const { gate, id } = subject;
      const key = [limitScope('key', id, { rpm: 2 })];
      expect(await gate.admit(key, 0, MINUTE_START)).toEqual({ allowed: true });
      expect(await gate.admit(key, 0, MINUTE_START)).toEqual({ allowed: true });
      const refused = await gate.admit(key, 0, MINUTE_START);
      expect(refused).toMatchObject({ allowed: false, kind: 'requests', limit: 2, scope: key[0] });
      expect(refused.allowed === false && refused.retryAfterSeconds).toBeGreaterThan(55);
    });

    it('checks tokens with the estimate and charges what was used', async () => {
      const { limiter, id } = subject;
      const scopes = [limitScope('key', id, { tpm: 100 })];
      expect((await limiter.begin(scopes, 150, MINUTE_START)).allowed).toBe(false);
      expect((await limiter.begin(scopes, 10, MINUTE_START)).allowed).toBe(true);
      limiter.charge(scopes, { tokens: 95, costMicroUsd: null }, MINUTE_START);
      await settle();
      expect(await limiter.begin(scopes, 10, MINUTE_START)).toMatchObject({ allowed: false, kind: 'tokens' });
      expect((await limiter.begin(scopes, 4, MINUTE_START)).allowed).toBe(true);
      expect((await limiter.begin(scopes, 10, MINUTE_START + 60_000)).allowed).toBe(true);
    });

    it('holds at most `concurrency` calls in flight', async () => {
      const { limiter, id } = subject;
      const scopes = [limitScope('key', id, { concurrency: 1 })];
      expect((await limiter.begin(scopes, 0, MINUTE_START)).allowed).toBe(true);
      expect(await limiter.begin(scopes, 0, MINUTE_START)).toMatchObject({ allowed: false, kind: 'concurrency' });
      limiter.end(scopes);
      await settle();
      expect((await limiter.begin(scopes, 0, MINUTE_START)).allowed).toBe(true);
    });

    it('refuses once the daily budget is spent, until the next UTC day', async () => {
      const { limiter, id } = subject;
      const scopes = [limitScope('key', id, { dailyBudgetUsd: 0.00005 })];
      expect((await limiter.begin(scopes, 0, MINUTE_START)).allowed).toBe(true);
      limiter.charge(scopes, { tokens: 17, costMicroUsd: 30 }, MINUTE_START);
      await settle();
      expect((await limiter.begin(scopes, 0, MINUTE_START + 1000)).allowed).toBe(true);
      limiter.charge(scopes, { tokens: 17, costMicroUsd: 30 }, MINUTE_START + 1000);
      await settle();
      expect(await limiter.begin(scopes, 0, MINUTE_START + 2000)).toEqual({
        allowed: false,
        scope: scopes[0],
        kind: 'daily_budget',
        limit: 0.00005,
        retryAfterSeconds: 12 * 3600 - 2,
      });
      expect(await limiter.spend(scopes[0].name, MINUTE_START)).toEqual({ dayMicroUsd: 60, monthMicroUsd: 60 });
      expect((await limiter.begin(scopes, 0, NEXT_DAY + 1000)).allowed).toBe(true);
    });

    it('refuses once the monthly budget is spent, until the next UTC month', async () => {
      const { limiter, id } = subject;
      const scopes = [limitScope('key', id, { monthlyBudgetUsd: 1 })];
      limiter.charge(scopes, { tokens: 0, costMicroUsd: 600_000 }, MINUTE_START - 10 * 86_400_000);
      limiter.charge(scopes, { tokens: 0, costMicroUsd: 400_000 }, MINUTE_START);
      await settle();
      const refused = await limiter.begin(scopes, 0, MINUTE_START);
      expect(refused).toMatchObject({ allowed: false, kind: 'monthly_budget', limit: 1 });
      expect(refused.allowed === false && refused.retryAfterSeconds).toBe((NEXT_MONTH - MINUTE_START) / 1000);
    });

    it('reserves the most a call can cost: calls together cannot overspend, and the real cost replaces it', async () => {
      const { limiter, id } = subject;
      // $1 a day; each call may cost up to $0.40.
      const scopes = [limitScope('key', id, { dailyBudgetUsd: 1 }), limitScope('user', id, { monthlyBudgetUsd: 5 })];
      expect((await limiter.begin(scopes, 0, MINUTE_START, 400_000)).allowed).toBe(true);
      expect((await limiter.begin(scopes, 0, MINUTE_START, 400_000)).allowed).toBe(true);
      // $0.80 reserved: a third call of up to $0.40 no longer fits, whatever it would really cost.
      expect(await limiter.begin(scopes, 0, MINUTE_START, 400_000)).toMatchObject({
        allowed: false,
        kind: 'daily_budget',
      });
      expect(await limiter.spend(scopes[0].name, MINUTE_START)).toEqual({
        dayMicroUsd: 800_000,
        monthMicroUsd: 800_000,
      });
      // The calls cost $0.10 and nothing (failed): the reservations are replaced by that.
      limiter.charge(scopes, { tokens: 0, costMicroUsd: 100_000 }, MINUTE_START, 400_000);
      limiter.charge(scopes, { tokens: 0, costMicroUsd: null }, MINUTE_START, 400_000);
      await settle();
      expect(await limiter.spend(scopes[1].name, MINUTE_START)).toEqual({
        dayMicroUsd: 100_000,
        monthMicroUsd: 100_000,
      });
      expect((await limiter.begin(scopes, 0, MINUTE_START, 900_000)).allowed).toBe(true);
      expect((await limiter.begin(scopes, 0, MINUTE_START, 1)).allowed).toBe(false);
    });

    it('checks the key and its user together: the user limit binds both of its keys', async () => {
      const { limiter, id } = subject;
      const user = limitScope('user', id, { concurrency: 1, dailyBudgetUsd: 1 });
      const first = [limitScope('key', `${id}-a`, { concurrency: 5 }), user];
      const second = [limitScope('key', `${id}-b`, {}), user];
      expect((await limiter.begin(first, 0, MINUTE_START)).allowed).toBe(true);
      expect(await limiter.begin(second, 0, MINUTE_START)).toMatchObject({
        allowed: false,
        kind: 'concurrency',
        scope: user,
      });
      limiter.end(first);
      await settle();
      expect((await limiter.begin(second, 0, MINUTE_START)).allowed).toBe(true);
      limiter.end(second);
      limiter.charge(second, { tokens: 0, costMicroUsd: 1_000_000 }, MINUTE_START);
      await settle();
      expect(await limiter.begin(first, 0, MINUTE_START)).toMatchObject({ kind: 'daily_budget', scope: user });
    });

    it('checks key, user and team together: the team limit binds every key of the team', async () => {
      const { limiter, id } = subject;
      const team = limitScope('team', id, { concurrency: 2, dailyBudgetUsd: 0.000002 });
      const user = limitScope('user', id, { concurrency: 5 });
      const first = [limitScope('key', `${id}-a`, { concurrency: 1 }), user, team];
      const second = [limitScope('key', `${id}-b`, { tpm: 1000 }), team];
      expect((await limiter.begin(first, 0, MINUTE_START)).allowed).toBe(true);
      expect((await limiter.begin(second, 0, MINUTE_START)).allowed).toBe(true);
      expect(await limiter.begin(second, 0, MINUTE_START)).toMatchObject({
        allowed: false,
        kind: 'concurrency',
        scope: team,
      });
      limiter.end(second);
      limiter.charge(second, { tokens: 10, costMicroUsd: 2 }, MINUTE_START);
      await settle();
      expect(await limiter.spend(team.name, MINUTE_START)).toEqual({ dayMicroUsd: 2, monthMicroUsd: 2 });
      expect(await limiter.begin(second, 0, MINUTE_START)).toMatchObject({ kind: 'daily_budget', scope: team });
    });

    it('counts nothing in flight on the key, the user or the team when the team refuses', async () => {
      const { limiter, id } = subject;
      const key = limitScope('key', id, { concurrency: 1 });
      const user = limitScope('user', id, { concurrency: 1 });
      const team = limitScope('team', id, { concurrency: 1 });
      const full = limitScope('team', `${id}-full`, { concurrency: 1 });
      expect((await limiter.begin([full], 0, MINUTE_START)).allowed).toBe(true);
      expect(await limiter.begin([key, user, full], 0, MINUTE_START)).toMatchObject({
        allowed: false,
        kind: 'concurrency',
        scope: full,
      });
      // Had the refused call held a slot anywhere, one of these would now be refused.
      expect((await limiter.begin([key], 0, MINUTE_START)).allowed).toBe(true);
      expect((await limiter.begin([user, team], 0, MINUTE_START)).allowed).toBe(true);
    });

    it('refuses rpm for the team over all its keys, naming the team', async () => {
      const { gate, id } = subject;
      const team = limitScope('team', id, { rpm: 2 });
      const keys = [limitScope('key', `${id}-a`, { rpm: 5 }), limitScope('key', `${id}-b`, {})];
      expect(await gate.admit([keys[0], team], 0, MINUTE_START)).toEqual({ allowed: true });
      expect(await gate.admit([keys[1], team], 0, MINUTE_START)).toEqual({ allowed: true });
      expect(await gate.admit([keys[1], team], 0, MINUTE_START)).toMatchObject({
        allowed: false,
        kind: 'requests',
        limit: 2,
        scope: team,
      });
    });

    it('leaves nothing counted when one scope refuses', async () => {
      const { limiter, id } = subject;
      const key = limitScope('key', id, { concurrency: 1 });
      const user = limitScope('user', id, { dailyBudgetUsd: 0.000001 });
      limiter.charge([user], { tokens: 0, costMicroUsd: 1 }, MINUTE_START);
      await settle();
      expect((await limiter.begin([key, user], 0, MINUTE_START)).allowed).toBe(false);
      expect((await limiter.begin([key], 0, MINUTE_START)).allowed).toBe(true);
    });

    it('seeds spend only where none is counted yet', async () => {
      const { limiter, id } = subject;
      const scope = limitScope('user', id, { dailyBudgetUsd: 1 });
      await limiter.seed(scope.name, { dayMicroUsd: 5, monthMicroUsd: 50 }, MINUTE_START);
      await limiter.seed(scope.name, { dayMicroUsd: 7, monthMicroUsd: 70 }, MINUTE_START);
      limiter.charge([scope], { tokens: 0, costMicroUsd: 1 }, MINUTE_START);
      await settle();
      expect(await limiter.spend(scope.name, MINUTE_START)).toEqual({ dayMicroUsd: 6, monthMicroUsd: 51 });
    });
  });
}

limiterContract(InMemoryUsageLimiter.name, () => {
  const limiter = new InMemoryUsageLimiter();
  return {
    limiter,
    gate: new LimitGate(new InMemoryThrottlerStorage(), limiter),
    id: 'scope-1',
    close: async () => undefined,
  };
});

describeWithRedis('with Redis', () => {
  limiterContract(RedisUsageLimiter.name, () => {
    const redis = new Redis(REDIS_URL);
    const limiter = new RedisUsageLimiter(redis);
    return {
      limiter,
      gate: new LimitGate(new RedisThrottlerStorage(redis), limiter),
      id: `test-${process.pid}-${Math.random().toString(36).slice(2)}`,
      close: async () => void redis.disconnect(),
    };
  });

  it('admits a call with rpm, tpm, concurrency and budgets in several scopes in one round trip', async () => {
    const redis = new Redis(REDIS_URL);
    const id = `one-trip-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const gate = new LimitGate(new RedisThrottlerStorage(redis), new RedisUsageLimiter(redis));
    const key = limitScope('key', id, { rpm: 2, tpm: 1000 });
    const user = limitScope('user', id, { concurrency: 5, dailyBudgetUsd: 1 });
    const team = limitScope('team', id, { rpm: 10 });
    try {
      await redis.ping();
      const sent = jest.spyOn(redis, 'sendCommand');
      expect(await gate.admit([key, user, team], 10, MINUTE_START, 100)).toEqual({ allowed: true });
      expect(sent).toHaveBeenCalledTimes(1);
      sent.mockRestore();
      // Counted where ThrottlerGuard's storage counts: the storage sees the call's request.
      const record = await new RedisThrottlerStorage(redis).increment(key.name, 60_000, 2, 0, RPM_THROTTLER);
      expect(record).toMatchObject({ totalHits: 2, isBlocked: false });
      // The key's rpm is now spent: refused with the wait of its window, nothing else counted.
      const refused = await gate.admit([key, user, team], 10, MINUTE_START, 100);
      expect(refused).toMatchObject({ allowed: false, kind: 'requests', limit: 2, scope: key });
      expect(refused.allowed === false && refused.retryAfterSeconds).toBeGreaterThan(55);
      expect(await new RedisUsageLimiter(redis).spend(user.name, MINUTE_START)).toEqual({
        dayMicroUsd: 100,
        monthMicroUsd: 100,
      });
    } finally {
      redis.disconnect();
    }
  });

  it('lets two replicas together admit no more than a user limit shared by two keys', async () => {
    const [a, b] = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
    const id = `shared-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const replicas = [new RedisUsageLimiter(a), new RedisUsageLimiter(b)];
    const user = limitScope('user', id, { concurrency: 5 });
    const verdicts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        replicas[i % 2].begin([limitScope('key', `${id}-${i % 3}`, { concurrency: 4 }), user], 0, MINUTE_START),
      ),
    );
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
    a.disconnect();
    b.disconnect();
  });

  it('stops both replicas once the budget they share is spent', async () => {
    const [a, b] = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
    const [onA, onB] = [new RedisUsageLimiter(a), new RedisUsageLimiter(b)];
    const scopes = [limitScope('key', `budget-${process.pid}-${Math.random()}`, { dailyBudgetUsd: 0.0001 })];
    try {
      onA.charge(scopes, { tokens: 0, costMicroUsd: 100 }, MINUTE_START);
      await settle();
      expect(await onB.begin(scopes, 0, MINUTE_START)).toMatchObject({ allowed: false, kind: 'daily_budget' });
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });
});
