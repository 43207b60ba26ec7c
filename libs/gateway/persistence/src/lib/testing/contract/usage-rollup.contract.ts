import { encodeBuckets, emptyBuckets, bucketIndex } from '@synapse/metrics';
import type { RequestLogRepository } from '../../repositories';
import type { UsageRollup } from '../../models/usage-rollup';
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
  it('reads the request-log rows of a range with the columns rollups need', async () => {
    expect(await store.repos.usageRollups.earliestSource()).toBeNull();
    await store.repos.requestLogs.insertMany([
      logEntry(1, { createdAt: at(10, 0), teamId: 't1', cachedTokens: 3, costUsd: 0.5, ttftMs: 12 }),
      logEntry(2, { createdAt: at(10, 1) }),
      logEntry(3, { createdAt: at(9, 59) }),
    ]);
    expect(await store.repos.usageRollups.earliestSource()).toEqual(at(9, 59));
    const rows = await store.repos.usageRollups.sourceRows(at(10), at(10, 1));
    expect(rows).toEqual([
      expect.objectContaining({ createdAt: at(10), teamId: 't1', cachedTokens: 3, costUsd: 0.5, ttftMs: 12 }),
    ]);
  });
}
