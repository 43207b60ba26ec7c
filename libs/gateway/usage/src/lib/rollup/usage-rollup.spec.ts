import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import {
  TypeOrmRequestLogRepository,
  TypeOrmUsageRollupRepository,
  type RequestLogEntry,
  type Store,
  type UsageGranularity,
} from '@synapse/gateway/persistence';
import { SQL_STORES, type StoreHarness } from '@synapse/gateway/persistence/testing';
import { bucketIndex, decodeBuckets } from '@synapse/metrics';
import { syntheticLogs } from '../testing/synthetic-logs';
import { rollupRange } from './rollup-range';
import { RECHECK_EVERY_MS, UsageRollupJob } from './usage-rollup.job';

const T0 = new Date('2026-03-01T22:30:00.000Z');
const HOUR = 3_600_000;
const MINUTE = 60_000;

jest.setTimeout(60_000);

/** What the rollups must add up to, summed straight from the log entries. */
function expected(entries: readonly RequestLogEntry[], where: (e: RequestLogEntry) => boolean = () => true) {
  const chosen = entries.filter(where);
  return {
    requests: chosen.length,
    errors: chosen.filter((e) => e.status >= 400).length,
    promptTokens: chosen.reduce((sum, e) => sum + (e.promptTokens ?? 0), 0),
    completionTokens: chosen.reduce((sum, e) => sum + (e.completionTokens ?? 0), 0),
    cachedTokens: chosen.reduce((sum, e) => sum + (e.cachedTokens ?? 0), 0),
    costUsd: chosen.reduce((sum, e) => sum + (e.costUsd ?? 0), 0),
    latencySumMs: chosen.reduce((sum, e) => sum + e.latencyMs, 0),
    ttftCount: chosen.filter((e) => e.ttftMs !== null).length,
  };
}

// The job's debug line per run is for operators, not for the test output.
beforeAll(() => Logger.overrideLogger(['error', 'warn', 'log']));

describe.each(SQL_STORES)('usage rollups on %s', (name, makeHarness) => {
  let harness: StoreHarness;
  let stores: Store[];
  let logs: TypeOrmRequestLogRepository;
  let repo: TypeOrmUsageRollupRepository;

  beforeEach(async () => {
    harness = makeHarness();
    stores = [await harness.open(), await harness.open()];
    logs = new TypeOrmRequestLogRepository(stores[0]);
    repo = new TypeOrmUsageRollupRepository(stores[0]);
  });

  afterEach(async () => {
    await logs.close();
    for (const store of stores) await store.dataSource.destroy();
    await harness.cleanup();
  });

  const job = (store: Store, lagMs = 5 * MINUTE) =>
    new UsageRollupJob({ intervalMs: 0, lagMs }, new TypeOrmUsageRollupRepository(store), new SchedulerRegistry());

  async function totals(granularity: UsageGranularity, extra: object = {}) {
    const query = { granularity, dimension: 'all', from: new Date(0), to: new Date(T0.getTime() + 10 * 24 * HOUR) };
    const [sum] = await repo.totals({ ...query, groupBy: 'none', ...extra } as Parameters<typeof repo.totals>[0]);
    return sum;
  }

  const pick = ({
    requests,
    errors,
    promptTokens,
    completionTokens,
    cachedTokens,
    latencySumMs,
    ttftCount,
  }: ReturnType<typeof expected>) => ({
    requests,
    errors,
    promptTokens,
    completionTokens,
    cachedTokens,
    latencySumMs,
    ttftCount,
  });

  it('adds up exactly per minute, hour and day, per dimension and model, across a day boundary', async () => {
    const entries = syntheticLogs(3_000, T0, 3 * HOUR, 7);
    await logs.insertMany(entries);
    const result = await rollupRange(repo, T0, new Date(T0.getTime() + 3 * HOUR));
    expect(result.sourceRows).toBe(3_000);

    const all = expected(entries);
    for (const granularity of ['minute', 'hour', 'day'] as const) {
      const sum = await totals(granularity);
      expect(pick({ ...sum, costUsd: 0 } as never)).toEqual(pick(all));
      expect(sum.costUsd).toBeCloseTo(all.costUsd, 9);
      expect(decodeBuckets(sum.latencyBuckets).reduce((a, b) => a + b, 0)).toBe(3_000);
    }
    const hours = await repo.rowsBetween('hour', new Date(0), new Date(T0.getTime() + 10 * 24 * HOUR));
    expect(new Set(hours.map((r) => r.bucketStart.toISOString())).size).toBe(4);
    const days = await repo.rowsBetween('day', new Date(0), new Date(T0.getTime() + 10 * 24 * HOUR));
    expect(new Set(days.map((r) => r.bucketStart.toISOString()))).toEqual(
      new Set(['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z']),
    );

    const range = { from: new Date(0), to: new Date(T0.getTime() + 10 * 24 * HOUR) };
    const byKey = await repo.totals({ granularity: 'hour', dimension: 'key', ...range, groupBy: 'value' });
    for (const group of byKey) expect(group.requests).toBe(expected(entries, (e) => e.keyId === group.group).requests);
    expect(byKey.reduce((sum, g) => sum + g.requests, 0)).toBe(expected(entries, (e) => e.keyId !== null).requests);
    const team = await repo.totals({
      granularity: 'day',
      dimension: 'team',
      dimensionValue: 'team-a',
      ...range,
      groupBy: 'model',
    });
    for (const group of team) {
      expect(group.promptTokens).toBe(
        expected(entries, (e) => e.teamId === 'team-a' && (e.requestedModel ?? e.upstreamModel) === group.group)
          .promptTokens,
      );
    }
    const slowest = entries.filter((e) => e.keyId === 'key-1').map((e) => bucketIndex(e.latencyMs));
    const [key1] = await repo.totals({
      granularity: 'day',
      dimension: 'key',
      dimensionValue: 'key-1',
      ...range,
      groupBy: 'none',
    });
    expect(decodeBuckets(key1.latencyBuckets)[Math.max(...slowest)]).toBeGreaterThan(0);
  });

  it('recomputes idempotently: a second run over the same range changes nothing', async () => {
    const entries = syntheticLogs(500, T0, HOUR, 3);
    await logs.insertMany(entries);
    await rollupRange(repo, T0, new Date(T0.getTime() + HOUR));
    const rows = async () => {
      const all = await repo.rowsBetween('minute', T0, new Date(T0.getTime() + HOUR));
      const key = (r: (typeof all)[number]) =>
        `${r.dimension}/${r.dimensionValue}/${r.bucketStart.getTime()}/${r.model}`;
      return all.sort((a, b) => (key(a) < key(b) ? -1 : 1));
    };
    const once = await rows();
    await rollupRange(repo, T0, new Date(T0.getTime() + HOUR));
    expect(await rows()).toEqual(once);
    expect((await totals('day')).requests).toBe(500);
  });

  it('picks up late rows within the lag, and rows later than that only by an explicit recompute', async () => {
    const first = syntheticLogs(200, T0, 10 * MINUTE, 11);
    await logs.insertMany(first);
    const rollups = job(stores[0]);
    await rollups.runOnce(new Date(T0.getTime() + 10 * MINUTE));
    expect((await totals('minute')).requests).toBe(200);

    // Written late, but within the lag behind the watermark: the next run counts them.
    const late = syntheticLogs(30, new Date(T0.getTime() + 7 * MINUTE), 2 * MINUTE, 12).map((e) => ({
      ...e,
      id: `late_${e.id}`,
    }));
    // Older than the watermark by more than the lag: no run reads that minute again.
    const tooLate = syntheticLogs(5, new Date(T0.getTime() + MINUTE), 30_000, 13).map((e) => ({
      ...e,
      id: `old_${e.id}`,
    }));
    await logs.insertMany([...late, ...tooLate]);
    const run = await rollups.runOnce(new Date(T0.getTime() + 11 * MINUTE));
    expect(run?.from).toEqual(new Date(T0.getTime() + 5 * MINUTE));
    expect((await totals('minute')).requests).toBe(230);
    expect((await totals('hour')).requests).toBe(230);
    expect((await totals('day')).requests).toBe(230);

    // An explicit recompute of the range reads them too, once.
    await rollupRange(repo, T0, new Date(T0.getTime() + 11 * MINUTE));
    await rollupRange(repo, T0, new Date(T0.getTime() + 11 * MINUTE));
    expect((await totals('day')).requests).toBe(235);
  });

  it('rolls up a long call logged after its minute fell behind the lag, once', async () => {
    const rollups = job(stores[0], MINUTE);
    const first = syntheticLogs(50, T0, 3 * MINUTE, 21);
    await logs.insertMany(first);
    await rollups.runOnce(new Date(T0.getTime() + 3 * MINUTE));
    expect((await totals('minute')).requests).toBe(50);

    // A stream that started at T0 and lasted 12 minutes is logged when it ends, far behind the lag.
    const long = { ...syntheticLogs(1, T0, 1_000, 22)[0], id: 'long_stream', latencyMs: 12 * MINUTE, costUsd: 0.75 };
    // A short call's row written as late, in a minute without long calls, waits for the hourly
    // re-check (in the long call's minute it would be counted now, as that minute is summed again).
    const lateShort = {
      ...syntheticLogs(1, new Date(T0.getTime() + MINUTE), 1_000, 23)[0],
      id: 'late_short',
      latencyMs: 900,
    };
    await logs.insertMany([long, lateShort]);
    const run = await rollups.runOnce(new Date(T0.getTime() + 12 * MINUTE + 10_000));
    expect(run?.from.getTime()).toBeGreaterThan(T0.getTime() + MINUTE);
    const counted = [...first, long];
    for (const granularity of ['minute', 'hour', 'day'] as const) {
      expect(pick(await totals(granularity))).toEqual(pick(expected(counted)));
      expect((await totals(granularity)).costUsd).toBeCloseTo(expected(counted).costUsd, 6);
    }
    // Seen once: later runs do not sum that minute again.
    expect(await rollups.runOnce(new Date(T0.getTime() + 13 * MINUTE))).toMatchObject({ minutesSummed: 0 });
    expect((await totals('day')).requests).toBe(51);
  });

  it('rolls up rows written far later than the lag (kept during an outage) at the hourly re-check, once', async () => {
    const rollups = job(stores[0], MINUTE);
    const first = syntheticLogs(50, T0, 3 * MINUTE, 41);
    await logs.insertMany(first);
    await rollups.runOnce(new Date(T0.getTime() + 3 * MINUTE));

    // Short calls kept in memory while the store was down, written 40 minutes after they ended.
    const kept = syntheticLogs(20, new Date(T0.getTime() + MINUTE), 50_000, 42).map((e) => ({
      ...e,
      id: `kept_${e.id}`,
      latencyMs: 900,
    }));
    await logs.insertMany(kept);
    await rollups.runOnce(new Date(T0.getTime() + 40 * MINUTE));
    expect((await totals('day')).requests).toBe(50);

    const run = await rollups.runOnce(new Date(T0.getTime() + 3 * MINUTE + RECHECK_EVERY_MS));
    expect(run?.minutesSummed).toBe(1);
    const counted = [...first, ...kept];
    for (const granularity of ['minute', 'hour', 'day'] as const) {
      expect(pick(await totals(granularity))).toEqual(pick(expected(counted)));
      expect((await totals(granularity)).costUsd).toBeCloseTo(expected(counted).costUsd, 6);
    }
    // Once: the next re-check finds every minute up to date.
    expect(await rollups.runOnce(new Date(T0.getTime() + 4 * MINUTE + 2 * RECHECK_EVERY_MS))).toMatchObject({
      minutesSummed: 0,
    });
    expect((await totals('day')).requests).toBe(70);
  });

  it('sums again only the minutes whose calls changed since the last run, and the hours that hold them', async () => {
    const entries = syntheticLogs(300, T0, 10 * MINUTE, 31);
    await logs.insertMany(entries);
    const rollups = job(stores[0], 15 * MINUTE);
    const now = new Date(T0.getTime() + 10 * MINUTE + 5_000);
    const first = await rollups.runOnce(now);
    expect(first).toMatchObject({ minutesSummed: 10, sourceRows: 300 });

    // Nothing new: the window is counted, not summed.
    expect(await rollups.runOnce(now)).toMatchObject({ minutesSummed: 0, sourceRows: 0, minuteRows: 0, hourRows: 0 });

    // Two minutes change: late rows into 22:37 and the running minute, 22:40.
    const added = [
      ...syntheticLogs(3, new Date(T0.getTime() + 7 * MINUTE), 30_000, 32).map((e) => ({ ...e, id: `late_${e.id}` })),
      ...syntheticLogs(2, new Date(T0.getTime() + 10 * MINUTE), 4_000, 33).map((e) => ({ ...e, id: `now_${e.id}` })),
    ];
    await logs.insertMany(added);
    const third = await rollups.runOnce(now);
    expect(third).toMatchObject({
      minutesSummed: 2,
      sourceRows:
        expected(
          entries,
          (e) =>
            e.createdAt.getTime() >= T0.getTime() + 7 * MINUTE && e.createdAt.getTime() < T0.getTime() + 8 * MINUTE,
        ).requests + 5,
    });
    const all = [...entries, ...added];
    for (const granularity of ['minute', 'hour', 'day'] as const) {
      expect(pick(await totals(granularity))).toEqual(pick(expected(all)));
    }
    // And a full recompute of the range agrees with what the runs left.
    const rows = async () => (await repo.rowsBetween('minute', T0, now)).length;
    const before = await rows();
    await rollupRange(repo, T0, now);
    expect(await rows()).toBe(before);
    expect(pick(await totals('hour'))).toEqual(pick(expected(all)));
  });

  // PostgreSQL does this work in its own processes.
  (name === 'SQLite' ? it : it.skip)(
    'reads the log and writes the rollups on the log threads, never on the event loop',
    async () => {
      const entries = syntheticLogs(400, T0, 20 * MINUTE, 41);
      await logs.insertMany(entries);
      // Every statement TypeORM runs on this process's own connection (the event loop's): its
      // logger hears each one, prepared statements it keeps in cache included.
      const onLoop = jest.spyOn(stores[0].dataSource.logger, 'logQuery');
      try {
        const offLoop = new TypeOrmUsageRollupRepository(stores[0], () => logs.sqliteThreads());
        const rollups = new UsageRollupJob({ intervalMs: 0, lagMs: 5 * MINUTE }, offLoop, new SchedulerRegistry());
        const run = await rollups.runOnce(new Date(T0.getTime() + 20 * MINUTE));
        expect(run).toMatchObject({ minutesSummed: 20, sourceRows: 400 });
        const statements = onLoop.mock.calls.map(([sql]) => sql);
        expect(statements.length).toBeGreaterThan(0);
        expect(statements.filter((sql) => /request_logs|INSERT INTO usage_rollups/i.test(sql))).toEqual([]);
      } finally {
        onLoop.mockRestore();
      }
      for (const granularity of ['minute', 'hour', 'day'] as const) {
        expect(pick(await totals(granularity))).toEqual(pick(expected(entries)));
      }
    },
  );

  // On PostgreSQL every query is I/O and gives the event loop turns anyway: only SQLite (whose
  // main connection answers synchronously) can show that the job takes turns of its own.
  (name === 'SQLite' ? it : it.skip)('lets the event loop run between slices of a minute of many keys', async () => {
    // 3,000 calls of distinct keys in one minute: thousands of groups and cells to sum and write.
    const entries = syntheticLogs(3_000, T0, MINUTE, 47).map((entry, i) => ({ ...entry, keyId: `key-${i}` }));
    await logs.insertMany(entries);
    let turns = 0;
    let running = true;
    const tick = () => {
      turns++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const run = await job(stores[0]).runOnce(new Date(T0.getTime() + 30 * MINUTE));
    running = false;
    expect(run).toMatchObject({ sourceRows: 3_000 });
    // Reading, summing and writing take turns: far more than the job's own awaits of the store.
    expect(turns).toBeGreaterThan(20);
    const [sum] = await repo.totals({
      granularity: 'hour',
      dimension: 'key',
      dimensionValue: 'key-2999',
      from: new Date(0),
      to: new Date(T0.getTime() + 10 * HOUR),
      groupBy: 'none',
    });
    expect(sum.requests).toBe(1);
  });

  (name === 'SQLite' ? it : it.skip)("answers the dashboards' sums from the log reader thread", async () => {
    const entries = syntheticLogs(300, T0, 10 * MINUTE, 43);
    await logs.insertMany(entries);
    await job(stores[0]).runOnce(new Date(T0.getTime() + 30 * MINUTE));
    const offLoop = new TypeOrmUsageRollupRepository(stores[0], () => logs.sqliteThreads());
    const query = {
      granularity: 'hour',
      dimension: 'key',
      from: new Date(0),
      to: new Date(T0.getTime() + HOUR),
    } as const;
    const onLoop = jest.spyOn(stores[0].dataSource.logger, 'logQuery');
    try {
      const series = await offLoop.series({ ...query, groupBy: 'model' });
      const totals = await offLoop.totals({ ...query, groupBy: 'value' });
      expect(onLoop.mock.calls.map(([sql]) => sql).filter((sql) => /usage_rollups/i.test(sql))).toEqual([]);
      // The same answers as the event loop's connection gives.
      expect(series).toEqual(await repo.series({ ...query, groupBy: 'model' }));
      expect(totals).toEqual(await repo.totals({ ...query, groupBy: 'value' }));
      expect(totals.reduce((sum, group) => sum + group.requests, 0)).toBe(entries.filter((e) => e.keyId).length);
      expect(totals.length).toBeGreaterThan(1);
    } finally {
      onLoop.mockRestore();
    }
  });

  (name === 'SQLite' ? it : it.skip)(
    "adds the log writer's sums of its new rows to their minutes, and sums a minute again when another writer added to it",
    async () => {
      const offLoop = new TypeOrmUsageRollupRepository(stores[0], () => logs.sqliteThreads());
      const rollups = new UsageRollupJob({ intervalMs: 0, lagMs: 15 * MINUTE }, offLoop, new SchedulerRegistry());
      const now = new Date(T0.getTime() + 10 * MINUTE + 5_000);
      const minute = (n: number, count: number, seed: number, id: string) =>
        syntheticLogs(count, new Date(T0.getTime() + n * MINUTE), 50_000, seed).map((e) => ({
          ...e,
          id: `${id}_${e.id}`,
        }));
      const entries = syntheticLogs(300, T0, 10 * MINUTE, 51);
      await logs.insertMany(entries);
      // The first count starts the writer's sums: everything before it is summed from the log.
      expect(await rollups.runOnce(now)).toMatchObject({ minutesSummed: 10, minutesAdded: 0, sourceRows: 300 });

      // The writer's sums follow the SQL's rules at their edges (row for row, checked below).
      const edges: Partial<RequestLogEntry>[] = [
        { status: 400 },
        { requestedModel: null, upstreamModel: 'up-model' },
        { requestedModel: null, upstreamModel: null, channelId: null, keyId: null },
        { ttftMs: 9, completionTokens: 0, promptTokens: null },
        { ttftMs: 40, latencyMs: 30, completionTokens: 5 },
        { latencyMs: 5, ttftMs: null, cachedTokens: 7 },
        { latencyMs: 6, ttftMs: null },
        { latencyMs: 700_000, costUsd: null, status: 500 },
      ];
      const late = [
        ...minute(7, 30, 52, 'late'),
        ...minute(7, edges.length, 56, 'edge').map((e, i) => ({ ...e, ...edges[i] })),
        ...minute(10, 10, 53, 'now'),
      ];
      await logs.insertMany(late);
      // Sent twice (a batch retried after a lost answer): the writer skips the rows, and so do its sums.
      await logs.insertMany(late.slice(0, 5));
      expect(await rollups.runOnce(now)).toMatchObject({ minutesSummed: 0, minutesAdded: 2, sourceRows: 48 });
      expect(await rollups.runOnce(now)).toMatchObject({ minutesSummed: 0, minutesAdded: 0, sourceRows: 0 });

      // Another writer (a second process on the file) adds to 22:38 as the thread does: summed again.
      const otherLogs = new TypeOrmRequestLogRepository(stores[0]);
      const other = minute(8, 4, 54, 'other');
      const mine = minute(8, 3, 55, 'mine');
      try {
        await otherLogs.insertMany(other);
      } finally {
        await otherLogs.close();
      }
      await logs.insertMany(mine);
      expect(await rollups.runOnce(now)).toMatchObject({ minutesSummed: 1, minutesAdded: 0 });

      // Another writer alone in a minute: a run that counts only the minutes the thread wrote to
      // does not see it; the whole window's count (every tenth run) does.
      const alone = minute(5, 6, 57, 'alone');
      const thirdLogs = new TypeOrmRequestLogRepository(stores[0]);
      try {
        await thirdLogs.insertMany(alone);
      } finally {
        await thirdLogs.close();
      }
      // The job has run four times (the first counted the whole window); the tenth after it does again.
      for (let run = 4; run < 10; run++) {
        expect(await rollups.runOnce(now)).toMatchObject({ minutesSummed: 0, minutesAdded: 0 });
      }
      expect(await rollups.runOnce(now)).toMatchObject({ minutesSummed: 1, minutesAdded: 0 });

      const all = [...entries, ...late, ...other, ...mine, ...alone];
      for (const granularity of ['minute', 'hour', 'day'] as const) {
        expect(pick(await totals(granularity))).toEqual(pick(expected(all)));
        expect((await totals(granularity)).costUsd).toBeCloseTo(expected(all).costUsd, 6);
      }
      // Row for row what a full recompute from the log gives.
      const rows = async () =>
        new Map(
          (await repo.rowsBetween('minute', T0, now)).map((row) => [
            [row.dimension, row.dimensionValue, row.bucketStart.toISOString(), row.model].join('|'),
            { ...row, costUsd: Math.round(row.costUsd * 1e9) },
          ]),
        );
      const kept = await rows();
      await rollupRange(repo, T0, now);
      expect(await rows()).toEqual(kept);
    },
  );

  it('gives exact totals with two job instances (two replicas) running at the same time', async () => {
    const entries = syntheticLogs(2_000, T0, 2 * HOUR, 21);
    await logs.insertMany(entries);
    const now = new Date(T0.getTime() + 2 * HOUR + MINUTE);
    // Two replicas on PostgreSQL; on SQLite (one file, one gateway) two job instances on one store.
    const second = stores[0].dialect === 'postgres' ? stores[1] : stores[0];
    // Both jobs start together: one holds the lease, the other skips its turn.
    const runs = await Promise.all([job(stores[0], 3 * HOUR).runOnce(now), job(second, 3 * HOUR).runOnce(now)]);
    expect(runs.filter(Boolean)).toHaveLength(1);
    // And should two ever recompute at once (a lease expired mid-run), upserts replace.
    const other = new TypeOrmUsageRollupRepository(second);
    await Promise.all([rollupRange(repo, T0, now), rollupRange(other, T0, now), rollupRange(repo, T0, now)]);
    for (const granularity of ['minute', 'hour', 'day'] as const) {
      expect((await totals(granularity)).requests).toBe(2_000);
      expect((await totals(granularity)).promptTokens).toBe(expected(entries).promptTokens);
      expect((await totals(granularity, { dimension: 'user', dimensionValue: 'user-1' })).requests).toBe(
        expected(entries, (e) => e.userId === 'user-1').requests,
      );
    }
  });
});
