import { encodeBuckets, emptyBuckets, bucketIndex } from '@synapse/metrics';
import type { RequestLogRepository } from '../../repositories';
import type { RequestLogEntry } from '../../models/request-log';
import type { UsageRollup, UsageSourceGroup, UsageSourceRow } from '../../models/usage-rollup';
import { groupUsageSource } from '../../usage-source-groups';
import type { UsageRollupRepository } from '../../usage-repositories';
import { logEntry } from './contract-fixtures';
import type { ContractStore } from './contract-harness';

const at = (hour: number, minute = 0) => new Date(Date.UTC(2026, 4, 1, hour, minute));

function histogram(...latencies: number[]): string {
  const counts = emptyBuckets();
  for (const ms of latencies) counts[bucketIndex(ms)]++;
  return encodeBuckets(counts);
}

function rollup(overrides: Partial<UsageRollup>): UsageRollup {
  return {
    granularity: 'minute',
    bucketStart: at(10),
    dimension: 'all',
    dimensionValue: '',
    model: 'gpt-4o',
    requests: 2,
    errors: 1,
    promptTokens: 20,
    completionTokens: 10,
    cachedTokens: 5,
    costUsd: 0.25,
    latencySumMs: 300,
    latencyBuckets: histogram(100, 200),
    ttftSumMs: 40,
    ttftCount: 1,
    generationMs: 160,
    generationTokens: 8,
    ...overrides,
  };
}

export function usageRollupContract(store: ContractStore<{ usageRollups: UsageRollupRepository }>): void {
  let repo: UsageRollupRepository;
  beforeEach(() => {
    repo = store.repos.usageRollups;
  });

  it('replaces a row with the same key instead of adding to it, and reads rows back by range', async () => {
    await repo.upsert([rollup({}), rollup({ model: 'gpt-4o-mini' })]);
    await repo.upsert([rollup({ requests: 3, costUsd: 0.5, latencyBuckets: histogram(1) })]);
    const rows = await repo.rowsBetween('minute', at(10), at(10, 1));
    expect(rows.sort((a, b) => a.model.localeCompare(b.model))).toEqual([
      rollup({ requests: 3, costUsd: 0.5, latencyBuckets: histogram(1) }),
      rollup({ model: 'gpt-4o-mini' }),
    ]);
    expect(await repo.rowsBetween('minute', at(10, 1), at(11))).toEqual([]);
    expect(await repo.rowsBetween('hour', at(10), at(11))).toEqual([]);
  });

  it('sums a series per bucket and group, merging latency histograms', async () => {
    await repo.upsert([
      rollup({ dimension: 'key', dimensionValue: 'k1', model: 'a', latencyBuckets: histogram(100, 200) }),
      rollup({ dimension: 'key', dimensionValue: 'k1', model: 'b', latencyBuckets: histogram(200, 9000) }),
      rollup({ dimension: 'key', dimensionValue: 'k1', model: 'a', bucketStart: at(10, 1) }),
      rollup({ dimension: 'key', dimensionValue: 'k2', model: 'a', bucketStart: at(10, 1) }),
      rollup({ dimension: 'key', dimensionValue: 'k1', model: 'a', bucketStart: at(10, 5) }),
    ]);
    const query = { granularity: 'minute', dimension: 'key', from: at(10), to: at(10, 5) } as const;
    const series = await repo.series({ ...query, dimensionValue: 'k1', groupBy: 'none' });
    expect(series.map((p) => [p.bucketStart.toISOString(), p.group, p.requests, p.promptTokens])).toEqual([
      [at(10).toISOString(), null, 4, 40],
      [at(10, 1).toISOString(), null, 2, 20],
    ]);
    expect(series[0].latencyBuckets).toBe(histogram(100, 200, 200, 9000));
    expect(series[0].costUsd).toBeCloseTo(0.5, 10);

    const byKey = await repo.totals({ ...query, groupBy: 'value' });
    expect(byKey.map((g) => [g.group, g.requests, g.errors, g.generationTokens])).toEqual([
      ['k1', 6, 3, 24],
      ['k2', 2, 1, 8],
    ]);
    const byModel = await repo.totals({ ...query, dimensionValue: 'k1', model: 'a', groupBy: 'model' });
    expect(byModel.map((g) => [g.group, g.requests])).toEqual([['a', 4]]);
    expect(await repo.totals({ ...query, dimensionValue: 'nobody', groupBy: 'none' })).toEqual([]);
  });

  it('sums the rows of a range per dimension, value and model, merging histograms (an hour from its minutes)', async () => {
    await repo.upsert([
      rollup({ dimension: 'key', dimensionValue: 'k1', latencyBuckets: histogram(100, 200) }),
      rollup({ dimension: 'key', dimensionValue: 'k1', bucketStart: at(10, 59), latencyBuckets: histogram(200, 9000) }),
      rollup({ dimension: 'key', dimensionValue: 'k1', model: 'other', bucketStart: at(10, 30), costUsd: 0.125 }),
      rollup({ dimension: 'all', dimensionValue: '', bucketStart: at(10, 7), latencyBuckets: '' }),
      // Outside: the next hour, and an hour row of the same hour.
      rollup({ dimension: 'key', dimensionValue: 'k1', bucketStart: at(11) }),
      rollup({ granularity: 'hour', dimension: 'key', dimensionValue: 'k1' }),
    ]);
    const cells = await repo.sumBetween('minute', at(10), at(11));
    const sorted = cells.sort((a, b) => `${a.dimension}/${a.model}`.localeCompare(`${b.dimension}/${b.model}`));
    expect(sorted.map((c) => [c.dimension, c.dimensionValue, c.model, c.requests, c.errors, c.promptTokens])).toEqual([
      ['all', '', 'gpt-4o', 2, 1, 20],
      ['key', 'k1', 'gpt-4o', 4, 2, 40],
      ['key', 'k1', 'other', 2, 1, 20],
    ]);
    expect(sorted.map((c) => c.latencyBuckets)).toEqual(['', histogram(100, 200, 200, 9000), histogram(100, 200)]);
    expect(sorted[1].costUsd).toBeCloseTo(0.5, 10);
    expect(sorted[2].costUsd).toBeCloseTo(0.125, 10);
    expect(sorted[1]).toMatchObject({ latencySumMs: 600, ttftSumMs: 2 * rollup({}).ttftSumMs, generationTokens: 16 });
    expect(await repo.sumBetween('hour', at(12), at(13))).toEqual([]);
  });

  it('deletes the oldest rows of one granularity, at most a limit at a time', async () => {
    await repo.upsert([
      ...[0, 1, 2, 3].map((minute) => rollup({ bucketStart: at(10, minute) })),
      rollup({ granularity: 'hour', bucketStart: at(9) }),
    ]);
    expect(await repo.deleteOlderThan('minute', at(10, 3), 2)).toBe(2);
    expect(await repo.deleteOlderThan('minute', at(10, 3), 2)).toBe(1);
    expect(await repo.deleteOlderThan('minute', at(10, 3), 2)).toBe(0);
    expect((await repo.rowsBetween('minute', at(0), at(23))).map((r) => r.bucketStart)).toEqual([at(10, 3)]);
    expect(await repo.rowsBetween('hour', at(0), at(23))).toHaveLength(1);
  });

  it('moves the watermark only forward and lends the lease to one owner at a time', async () => {
    expect(await repo.watermark()).toBeNull();
    await repo.advanceWatermark(at(10));
    await repo.advanceWatermark(at(9));
    expect(await repo.watermark()).toEqual(at(10));

    expect(await repo.acquireLease('a', at(10), 60_000)).toBe(true);
    expect(await repo.acquireLease('b', at(10, 0), 60_000)).toBe(false);
    expect(await repo.acquireLease('a', at(10, 0), 60_000)).toBe(true);
    // An expired lease (its holder died) is taken over.
    expect(await repo.acquireLease('b', at(10, 2), 60_000)).toBe(true);
    await repo.releaseLease('a');
    expect(await repo.acquireLease('a', at(10, 2), 60_000)).toBe(false);
    await repo.releaseLease('b');
    expect(await repo.acquireLease('a', at(10, 2), 60_000)).toBe(true);
  });

  it('takes concurrent upserts of the same rows from two replicas without losing or adding', async () => {
    if (!store.concurrentReplicas) return;
    const other = (await store.replica()).usageRollups;
    const rows = Array.from({ length: 600 }, (_, i) => rollup({ bucketStart: at(10, i % 60), model: `m${i}` }));
    await Promise.all([repo.upsert(rows), other.upsert([...rows].reverse()), repo.upsert(rows)]);
    const [total] = await repo.totals({
      granularity: 'minute',
      dimension: 'all',
      from: at(0),
      to: at(23),
      groupBy: 'none',
    });
    expect(total.requests).toBe(1200);
  });
}

/** Rollups read the request log: only the SQL stores have one. */
export function usageSourceContract(
  store: ContractStore<{ usageRollups: UsageRollupRepository; requestLogs: RequestLogRepository }>,
): void {
  it('sums the request-log rows of a range into the groups rollups need, as groupUsageSource does', async () => {
    expect(await store.repos.usageRollups.earliestSource()).toBeNull();
    const ms = (minute: number, second: number) => new Date(at(10, minute).getTime() + second * 1000);
    const entries = [
      // Minute 10:00: the same group twice, one other key, a user and team, a failure.
      logEntry(1, { createdAt: ms(0, 0), teamId: null, latencyMs: 12, costUsd: 0.5, cachedTokens: 3, ttftMs: 4 }),
      logEntry(2, { createdAt: ms(0, 30), teamId: null, latencyMs: 20, costUsd: 0.25, cachedTokens: null, ttftMs: 6 }),
      logEntry(3, { createdAt: ms(0, 59.999), keyId: 'key-2', userId: 'u1', teamId: 't1', status: 429 }),
      // Bucket bounds: 5 ms is the first bucket, 6 ms the second; past the last bound the open one.
      logEntry(4, { createdAt: ms(0, 1), latencyMs: 5, ttftMs: null }),
      logEntry(5, { createdAt: ms(0, 2), latencyMs: 6, ttftMs: null }),
      logEntry(6, { createdAt: ms(0, 3), latencyMs: 700_000, ttftMs: null, status: 500, costUsd: null }),
      // No model asked for: the upstream's, else ''. A first token after the end: no negative time.
      logEntry(7, { createdAt: ms(1, 0), requestedModel: null, upstreamModel: 'up-model', ttftMs: 40, latencyMs: 30 }),
      logEntry(8, { createdAt: ms(1, 1), requestedModel: null, upstreamModel: null, channelId: null, keyId: null }),
      // A stream without output: time to first token counted, no generation.
      logEntry(9, { createdAt: ms(1, 2), ttftMs: 9, completionTokens: 0, promptTokens: null }),
      // Outside [from, to): the minute before, and `to` itself.
      logEntry(10, { createdAt: ms(-1, 59) }),
      logEntry(11, { createdAt: ms(2, 0) }),
    ];
    await store.repos.requestLogs.insertMany(entries);
    expect(await store.repos.usageRollups.earliestSource()).toEqual(ms(-1, 59));

    const inRange = entries.filter((e) => e.createdAt >= at(10) && e.createdAt < at(10, 2));
    const expected = groupUsageSource(inRange.map(sourceRow));
    const groups = await store.repos.usageRollups.sourceGroups(at(10), at(10, 2));
    expect(groups.length).toBe(expected.length);
    expect(expected.length).toBe(8);
    const byKey = (list: UsageSourceGroup[]) => new Map(list.map((g) => [groupKey(g), g]));
    const actual = byKey(groups);
    for (const [key, want] of byKey(expected)) {
      const got = actual.get(key);
      expect({ key, ...got, costUsd: 0 }).toEqual({ key, ...want, costUsd: 0 });
      expect(got?.costUsd).toBeCloseTo(want.costUsd, 12);
    }
    expect(groups.reduce((sum, g) => sum + g.requests, 0)).toBe(9);

    // Counted per minute, for the job to find the minutes that changed; bounds as for the groups.
    const counts = async (from: Date, to: Date) =>
      (await store.repos.usageRollups.loggedPerMinute(from, to))
        .map(({ minute, requests }) => [minute.toISOString(), requests])
        .sort();
    expect(await counts(at(10), at(10, 2))).toEqual([
      [at(10).toISOString(), 6],
      [at(10, 1).toISOString(), 3],
    ]);
    expect(await counts(ms(0, 30), at(10, 3))).toEqual([
      [at(10).toISOString(), 2],
      [at(10, 1).toISOString(), 3],
      [at(10, 2).toISOString(), 1],
    ]);
    expect(await counts(at(11), at(12))).toEqual([]);
  });
}

function sourceRow(entry: RequestLogEntry): UsageSourceRow {
  return {
    createdAt: entry.createdAt,
    keyId: entry.keyId,
    userId: entry.userId,
    teamId: entry.teamId ?? null,
    channelId: entry.channelId,
    requestedModel: entry.requestedModel,
    upstreamModel: entry.upstreamModel,
    status: entry.status,
    latencyMs: entry.latencyMs,
    ttftMs: entry.ttftMs,
    promptTokens: entry.promptTokens,
    completionTokens: entry.completionTokens,
    cachedTokens: entry.cachedTokens ?? null,
    costUsd: entry.costUsd,
  };
}

function groupKey(group: UsageSourceGroup): string {
  const { minute, keyId, userId, teamId, channelId, model, latencyBucket } = group;
  return [minute.toISOString(), keyId, userId, teamId, channelId, model, latencyBucket].join('|');
}
