/**
 * Usage dashboards over a large request log: the queries they make, and the rollup that feeds them.
 *
 *   node -r @swc-node/register tools/bench/usage-queries.bench.ts
 *
 * On its own it seeds BENCH_USAGE_ROWS (1,000,000) synthetic log rows over the last 30 days into
 * a fresh SQLite file and, when BENCH_USAGE_POSTGRES_URL is set, a fresh PostgreSQL schema; rolls
 * them up (timed) and runs every query case BENCH_USAGE_REPEAT (5) times (BENCH_USAGE_SKIP_SQLITE=1:
 * PostgreSQL only). Run it with `SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register
 * -r tsconfig-paths/register …` so that the `@synapse/*` paths resolve. The exports are for a
 * harness that seeds its own store: `rollupSeededStore(store)` then `usageQueryCases(store)`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import {
  openStore,
  TypeOrmRequestLogRepository,
  TypeOrmUsageRollupRepository,
  type Store,
} from '@synapse/gateway/persistence';
import { rollupRange, UsageQueryService, type RollupRangeResult, type UsageReader } from '@synapse/gateway/usage';
import { syntheticLogs } from '@synapse/gateway/usage/testing';

const DAY = 86_400_000;

/** One named dashboard query; `run` resolves with what it read. */
export interface UsageQueryCase {
  name: string;
  run(): Promise<unknown>;
}

/** The span of the store's request log: [first row, last row + 1 ms). */
async function logSpan(store: Store): Promise<{ from: Date; to: Date } | null> {
  const [row] = (await store.dataSource.query(
    'SELECT MIN(created_at) AS first, MAX(created_at) AS last FROM request_logs',
  )) as { first: Date | string | null; last: Date | string | null }[];
  if (!row?.first || !row.last) return null;
  const time = (value: Date | string) => (value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`));
  return { from: time(row.first), to: new Date(time(row.last).getTime() + 1) };
}

/** Rolls up the whole request log of a seeded store (what the job does over time), timed. */
export async function rollupSeededStore(store: Store): Promise<RollupRangeResult & { ms: number }> {
  const span = await logSpan(store);
  const started = performance.now();
  const result = span
    ? await rollupRange(new TypeOrmUsageRollupRepository(store), span.from, span.to)
    : { minutesSummed: 0, minutesAdded: 0, sourceRows: 0, minuteRows: 0, hourRows: 0, dayRows: 0 };
  return { ...result, ms: performance.now() - started };
}

/**
 * The queries a usage dashboard makes, over the 30 days that end with the store's newest log row:
 * given a store that holds the log and its rollups (`rollupSeededStore`).
 */
export async function usageQueryCases(store: Store): Promise<UsageQueryCase[]> {
  const usage = new UsageQueryService(new TypeOrmUsageRollupRepository(store));
  const end = (await logSpan(store))?.to ?? new Date();
  const month = { from: new Date(end.getTime() - 30 * DAY), to: end };
  const day = { from: new Date(end.getTime() - DAY), to: end };
  // Not aligned to hours or days: summed from day, hour and minute rows.
  const week = { from: new Date(end.getTime() - 7 * DAY - 1_234_567), to: new Date(end.getTime() - 777_777) };
  const all: UsageReader = { scope: 'all' };
  const pick = async (by: 'key' | 'user' | 'team') =>
    (await usage.top(all, { range: month, by, metric: 'requests', limit: 1, filter: {} }))[0]?.group ?? 'none';
  const [keyId, userId, teamId] = [await pick('key'), await pick('user'), await pick('team')];
  const member: UsageReader = { scope: 'user', userId };
  return [
    {
      name: 'series: one key, 30 days by hour',
      run: () => usage.series(all, { range: month, granularity: 'hour', groupBy: 'none', filter: { keyId } }),
    },
    {
      name: 'series: one team, 30 days by hour, per model',
      run: () => usage.series(all, { range: month, granularity: 'hour', groupBy: 'model', filter: { teamId } }),
    },
    {
      name: 'series: everything, 30 days by day, per key',
      run: () => usage.series(all, { range: month, granularity: 'day', groupBy: 'key', filter: {} }),
    },
    {
      name: 'series: everything, last 24 h by minute',
      run: () => usage.series(all, { range: day, granularity: 'minute', groupBy: 'none', filter: {} }),
    },
    {
      name: 'top 10 models over 30 days by requests',
      run: () => usage.top(all, { range: month, by: 'model', metric: 'requests', limit: 10, filter: {} }),
    },
    {
      name: 'top 10 keys over 30 days by cost',
      run: () => usage.top(all, { range: month, by: 'key', metric: 'cost', limit: 10, filter: {} }),
    },
    {
      name: 'top 10 users over an unaligned week by tokens',
      run: () => usage.top(all, { range: week, by: 'user', metric: 'tokens', limit: 10, filter: {} }),
    },
    {
      name: 'member: own usage, 30 days by hour, per model',
      run: () => usage.series(member, { range: month, granularity: 'hour', groupBy: 'model', filter: {} }),
    },
  ];
}

/** Writes `rows` synthetic log rows over the 30 days before now, in batches. */
async function seed(store: Store, rows: number): Promise<void> {
  const logs = new TypeOrmRequestLogRepository(store);
  const batch = 10_000;
  const from = new Date(Date.now() - 30 * DAY);
  try {
    for (let done = 0; done < rows; done += batch) {
      await logs.insertMany(syntheticLogs(Math.min(batch, rows - done), from, 30 * DAY, done + 1));
    }
  } finally {
    await logs.close();
  }
}

async function measure(name: string, store: Store, rows: number, repeat: number): Promise<void> {
  let started = performance.now();
  await seed(store, rows);
  console.log(`\n## ${name}: ${rows} log rows seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const rollup = await rollupSeededStore(store);
  console.log(
    `rollup: ${(rollup.ms / 1000).toFixed(1)} s (${rollup.sourceRows} log rows -> ${rollup.minuteRows} minute, ${rollup.hourRows} hour, ${rollup.dayRows} day rows)`,
  );
  console.log('| query | median ms | max ms |\n| --- | --- | --- |');
  for (const query of await usageQueryCases(store)) {
    const times: number[] = [];
    for (let i = 0; i < repeat; i++) {
      started = performance.now();
      await query.run();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`| ${query.name} | ${times[times.length >> 1].toFixed(1)} | ${times[times.length - 1].toFixed(1)} |`);
  }
}

async function main(): Promise<void> {
  const rows = Number(process.env['BENCH_USAGE_ROWS'] ?? 1_000_000);
  const repeat = Number(process.env['BENCH_USAGE_REPEAT'] ?? 5);
  const postgresUrl = process.env['BENCH_USAGE_POSTGRES_URL'];
  if (process.env['BENCH_USAGE_SKIP_SQLITE'] !== '1') {
    const dir = mkdtempSync(join(tmpdir(), 'synapse-usage-bench-'));
    try {
      const sqlite = await openStore({ dataDir: dir });
      await measure('SQLite', sqlite, rows, repeat);
      await sqlite.dataSource.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (postgresUrl) {
    const schema = `usage_bench_${process.pid}`;
    const admin = new Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    try {
      const postgres = await openStore({ dataDir: '', databaseUrl: postgresUrl, schema });
      await measure('PostgreSQL', postgres, rows, repeat);
      await postgres.dataSource.destroy();
    } finally {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
