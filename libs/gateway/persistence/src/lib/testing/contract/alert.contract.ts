import type {
  AlertRuleRepository,
  AlertStateRepository,
  NotificationChannelRepository,
  NotificationDeliveryRepository,
  RequestLogSignalRepository,
} from '../../alert-repositories';
import type { RequestLogRepository } from '../../repositories';
import { alertEvent, alertRule, alertState, delivery, notificationChannel } from './alert-fixtures';
import { logEntry, T0 } from './contract-fixtures';
import type { ContractStore } from './contract-harness';

/** Alerting's repositories that every store implements (the in-memory test doubles too). */
export interface AlertRepositories {
  alertRules: AlertRuleRepository;
  notificationChannels: NotificationChannelRepository;
  alertStates: AlertStateRepository;
  notificationDeliveries: NotificationDeliveryRepository;
}

export function alertContract(store: ContractStore<AlertRepositories>): void {
  it('stores rules by unique name, lists them by name, and deletes a rule with its state', async () => {
    const { alertRules, alertStates } = store.repos;
    const rule = await alertRules.save(
      alertRule({ name: 'errors', kind: 'latency', percentile: 99.5, threshold: 1500 }),
    );
    await expect(alertRules.save(alertRule({ name: 'errors' }))).rejects.toThrow();
    await alertRules.save(
      alertRule({ name: 'budget', kind: 'budget', budgetPeriod: 'month', scope: { kind: 'all', value: null } }),
    );
    expect(await alertRules.findByName('errors')).toEqual(rule);
    expect(await alertRules.findById(rule.id)).toEqual(rule);
    expect((await alertRules.findAll()).map((r) => [r.name, r.scope, r.budgetPeriod])).toEqual([
      ['budget', { kind: 'all', value: null }, 'month'],
      ['errors', { kind: 'model', value: 'gpt-4o-mini' }, null],
    ]);
    expect(await alertStates.transition(0, alertState({ ruleId: rule.id }), null)).toBe(true);
    expect(await alertRules.delete(rule.id)).toBe(true);
    expect(await alertRules.delete(rule.id)).toBe(false);
    expect(await alertStates.find(rule.id)).toBeNull();
  });

  it('stores notification channels with their sealed secrets and settings', async () => {
    const { notificationChannels } = store.repos;
    const mail = await notificationChannels.save(notificationChannel({ name: 'mail' }));
    await notificationChannels.save(notificationChannel({ name: 'hook', kind: 'webhook', settings: {} }));
    await expect(notificationChannels.save(notificationChannel({ name: 'mail' }))).rejects.toThrow();
    expect(await notificationChannels.findByName('mail')).toEqual(mail);
    expect((await notificationChannels.findAll()).map((c) => c.name)).toEqual(['hook', 'mail']);
    expect(await notificationChannels.delete(mail.id)).toBe(true);
    expect(await notificationChannels.findById(mail.id)).toBeNull();
  });

  it('changes a state only from the version it was read at, with its event', async () => {
    const { alertStates } = store.repos;
    const pending = alertState({ status: 'pending', version: 1 });
    expect(await alertStates.transition(0, pending, alertEvent({ ruleId: pending.ruleId, type: 'pending' }))).toBe(
      true,
    );
    // Another replica that also read "no state" loses, and its event is not written.
    expect(
      await alertStates.transition(0, { ...pending, status: 'firing' }, alertEvent({ ruleId: pending.ruleId })),
    ).toBe(false);
    const firing = { ...pending, status: 'firing' as const, version: 2, firedAt: T0, lastNotifiedAt: T0 };
    expect(await alertStates.transition(1, firing, alertEvent({ ruleId: pending.ruleId, type: 'firing' }))).toBe(true);
    expect(await alertStates.transition(1, { ...firing, version: 2 }, null)).toBe(false);
    expect(await alertStates.find(pending.ruleId)).toEqual(firing);
    expect((await alertStates.events({ ruleId: pending.ruleId })).map((e) => e.type).sort()).toEqual([
      'firing',
      'pending',
    ]);
    expect(await alertStates.findAll()).toEqual([firing]);
  });

  it('lets exactly one of two replicas make the same transition', async () => {
    const mine = store.repos.alertStates;
    const theirs = (await store.replica()).alertStates;
    for (let round = 0; round < 5; round++) {
      const ruleId = `race-${round}`;
      const next = alertState({ ruleId, status: 'firing', version: 1 });
      const write = (repo: AlertStateRepository) => repo.transition(0, next, alertEvent({ ruleId }));
      const results = store.concurrentReplicas
        ? await Promise.all([write(mine), write(theirs)])
        : [await write(mine), await write(theirs)];
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await mine.events({ ruleId })).toHaveLength(1);
    }
  });

  it('lists events and deliveries newest first, filtered', async () => {
    const { alertStates, notificationDeliveries } = store.repos;
    const at = (s: number) => new Date(T0.getTime() + s * 1000);
    await alertStates.transition(
      0,
      alertState({ ruleId: 'r1' }),
      alertEvent({ ruleId: 'r1', at: at(1), type: 'pending' }),
    );
    await alertStates.transition(1, alertState({ ruleId: 'r1', version: 2 }), alertEvent({ ruleId: 'r1', at: at(2) }));
    await alertStates.transition(0, alertState({ ruleId: 'r2' }), alertEvent({ ruleId: 'r2', at: at(3) }));
    expect((await alertStates.events()).map((e) => [e.ruleId, e.at])).toEqual([
      ['r2', at(3)],
      ['r1', at(2)],
      ['r1', at(1)],
    ]);
    expect(await alertStates.events({ ruleId: 'r1', limit: 1 })).toHaveLength(1);

    const failed = delivery({
      alertEventId: 'e2',
      channelId: 'n2',
      ok: false,
      statusCode: 535,
      response: null,
      error: 'auth',
      at: at(5),
    });
    await notificationDeliveries.insert(delivery({ at: at(4) }));
    await notificationDeliveries.insert(failed);
    await notificationDeliveries.insert(delivery({ alertEventId: null, ruleId: null, channelId: 'n2', at: at(6) }));
    expect((await notificationDeliveries.find()).map((d) => d.at)).toEqual([at(6), at(5), at(4)]);
    expect(await notificationDeliveries.find({ alertEventId: 'e2' })).toEqual([failed]);
    expect(await notificationDeliveries.find({ channelId: 'n2', limit: 5 })).toHaveLength(2);
    expect(await notificationDeliveries.find({ ruleId: 'r1' })).toHaveLength(2);
  });
}

/** Aggregates over the request log: the SQL stores compute them. */
export function requestLogSignalContract(
  store: ContractStore<{ requestLogSignals: RequestLogSignalRepository; requestLogs: RequestLogRepository }>,
): void {
  it('counts calls, 5xx errors and cost of a scope within a window', async () => {
    const { requestLogs, requestLogSignals } = store.repos;
    const at = (s: number) => new Date(Date.UTC(2032, 0, 1, 0, 0, s));
    await requestLogs.insertMany([
      logEntry(1, { createdAt: at(1), status: 200, costUsd: 0.5, channelId: 'a' }),
      logEntry(2, { createdAt: at(2), status: 502, costUsd: null, channelId: 'a' }),
      logEntry(3, { createdAt: at(3), status: 429, costUsd: 0.25, channelId: 'b', requestedModel: 'other' }),
      logEntry(4, { createdAt: at(10), status: 500, costUsd: 1, channelId: 'a' }),
    ]);
    const window = { since: at(1), until: at(10) };
    expect(await requestLogSignals.counts({ ...window, scope: { kind: 'all', value: null } })).toEqual({
      count: 3,
      errors: 1,
      costUsd: 0.75,
    });
    expect(await requestLogSignals.counts({ ...window, scope: { kind: 'channel', value: 'a' } })).toEqual({
      count: 2,
      errors: 1,
      costUsd: 0.5,
    });
    expect(await requestLogSignals.counts({ ...window, scope: { kind: 'model', value: 'other' } })).toMatchObject({
      count: 1,
      errors: 0,
    });
    expect(
      await requestLogSignals.counts({ since: at(20), until: at(30), scope: { kind: 'all', value: null } }),
    ).toEqual({ count: 0, errors: 0, costUsd: 0 });
  });

  it('counts per minute of created_at, oldest first, minutes without calls left out', async () => {
    const { requestLogs, requestLogSignals } = store.repos;
    const at = (m: number, s: number, ms = 0) => new Date(Date.UTC(2034, 0, 1, 0, m, s, ms));
    await requestLogs.insertMany([
      logEntry(1, { createdAt: at(2, 30), status: 200, costUsd: 0.5, channelId: 'a' }),
      logEntry(2, { createdAt: at(0, 59, 999), status: 503, costUsd: 0.25, channelId: 'a' }),
      logEntry(3, { createdAt: at(0, 0), status: 200, costUsd: null, channelId: 'a' }),
      logEntry(4, { createdAt: at(2, 0), status: 500, costUsd: 1, channelId: 'b' }),
      // Outside the window: before it, and at its end.
      logEntry(5, { createdAt: at(0, 0, -1), status: 200, costUsd: 9, channelId: 'a' }),
      logEntry(6, { createdAt: at(3, 0), status: 200, costUsd: 9, channelId: 'a' }),
    ]);
    const window = { since: at(0, 0), until: at(3, 0) };
    expect(await requestLogSignals.countsPerMinute({ ...window, scope: { kind: 'all', value: null } })).toEqual([
      { minute: at(0, 0), count: 2, errors: 1, costUsd: 0.25 },
      { minute: at(2, 0), count: 2, errors: 1, costUsd: 1.5 },
    ]);
    expect(await requestLogSignals.countsPerMinute({ ...window, scope: { kind: 'channel', value: 'b' } })).toEqual([
      { minute: at(2, 0), count: 1, errors: 1, costUsd: 1 },
    ]);
  });

  it('counts the values of latency or ttft per minute, rounded down to three significant digits', async () => {
    const { requestLogs, requestLogSignals } = store.repos;
    const at = (m: number, s: number) => new Date(Date.UTC(2035, 0, 1, 0, m, s));
    await requestLogs.insertMany([
      logEntry(1, { createdAt: at(0, 1), latencyMs: 999, ttftMs: null, keyId: 'v' }),
      logEntry(2, { createdAt: at(0, 2), latencyMs: 999, ttftMs: 7, keyId: 'v' }),
      logEntry(3, { createdAt: at(0, 3), latencyMs: 1_239, ttftMs: 1_000, keyId: 'v' }),
      logEntry(4, { createdAt: at(0, 4), latencyMs: 1_230, ttftMs: null, keyId: 'v' }),
      logEntry(5, { createdAt: at(1, 5), latencyMs: 56_789, ttftMs: 12_345, keyId: 'v' }),
      logEntry(6, { createdAt: at(1, 6), latencyMs: 1_234_567, ttftMs: null, keyId: 'v' }),
      logEntry(7, { createdAt: at(1, 7), latencyMs: 5, ttftMs: null, keyId: 'other' }),
    ]);
    const window = { since: at(0, 0), until: at(2, 0), scope: { kind: 'key' as const, value: 'v' } };
    const sorted = (rows: { minute: Date; value: number; count: number }[]) =>
      [...rows].sort((a, b) => a.minute.getTime() - b.minute.getTime() || a.value - b.value);
    expect(sorted(await requestLogSignals.valueCountsPerMinute(window, 'latency'))).toEqual([
      { minute: at(0, 0), value: 999, count: 2 },
      { minute: at(0, 0), value: 1_230, count: 2 },
      { minute: at(1, 0), value: 56_700, count: 1 },
      { minute: at(1, 0), value: 1_230_000, count: 1 },
    ]);
    // Calls without a ttft are left out.
    expect(sorted(await requestLogSignals.valueCountsPerMinute(window, 'ttft'))).toEqual([
      { minute: at(0, 0), value: 7, count: 1 },
      { minute: at(0, 0), value: 1_000, count: 1 },
      { minute: at(1, 0), value: 12_300, count: 1 },
    ]);
  });

  it('computes latency and ttft percentiles with interpolation, as percentile_cont does', async () => {
    const { requestLogs, requestLogSignals } = store.repos;
    const at = (s: number) => new Date(Date.UTC(2033, 0, 1, 0, 0, s));
    // Latencies 10, 20, … 100 in shuffled order; ttft only on every other call.
    const latencies = [70, 10, 100, 40, 20, 90, 30, 60, 80, 50];
    await requestLogs.insertMany(
      latencies.map((latencyMs, i) =>
        logEntry(100 + i, { createdAt: at(i), latencyMs, ttftMs: i % 2 === 0 ? latencyMs / 10 : null, keyId: 'k' }),
      ),
    );
    const window = { since: at(0), until: at(60), scope: { kind: 'key' as const, value: 'k' } };
    // Rank (n-1)·p: p50 → 4.5 → 50 + 0.5·10; p90 → 8.1 → 90 + 0.1·10; p100 → the largest.
    const latency = async (fraction: number) => (await requestLogSignals.percentile(window, 'latency', fraction)).value;
    expect(await latency(0.5)).toBeCloseTo(55, 6);
    expect(await latency(0.9)).toBeCloseTo(91, 6);
    expect(await latency(1)).toBeCloseTo(100, 6);
    // ttft of calls 0, 2, 4, 6, 8: 7, 10, 2, 3, 8 → sorted 2, 3, 7, 8, 10; p50 → rank 2 → 7.
    const ttft = await requestLogSignals.percentile(window, 'ttft', 0.5);
    expect(ttft.value).toBeCloseTo(7, 6);
    expect(ttft.count).toBe(5);
    expect(
      await requestLogSignals.percentile({ ...window, scope: { kind: 'key', value: 'none' } }, 'latency', 0.5),
    ).toEqual({ value: null, count: 0 });
  });
}
