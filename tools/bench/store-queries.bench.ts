/**
 * Request-log search at scale: seeds BENCH_STORE_ROWS (1 000 000) realistic request-log rows into
 * a fresh SQLite file and a fresh PostgreSQL schema, then times the searches the admin API runs
 * (through the real repository) and prints each one's query plan.
 *
 *   npm run bench:store                                        (also the last step of npm run bench)
 *   node -r @swc-node/register tools/bench/store-queries.bench.ts
 *
 * Environment: BENCH_STORE_ROWS (1000000), BENCH_STORE_RUNS (25, after 2 warm-up runs),
 * BENCH_STORE_STORES (sqlite,postgres), BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test;
 * PostgreSQL is skipped with a note when it cannot be reached).
 *
 * Other measurements (the usage rollups) plug in through `extraCases` of `runStoreQueryBench`.
 * Writes dist/bench/store-queries.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
// The files themselves rather than the library's entry point, which brings NestJS decorators along.
import type { RequestLogSearch } from '../../libs/gateway/persistence/src/lib/log-repositories';
import type { RequestLogEntry } from '../../libs/gateway/persistence/src/lib/models/request-log';
import { openStore, type Store } from '../../libs/gateway/persistence/src/lib/typeorm/data-source';
import { requestLogSearchQuery } from '../../libs/gateway/persistence/src/lib/typeorm/request-log-search.query';
import { TypeOrmRequestLogRepository } from '../../libs/gateway/persistence/src/lib/typeorm/typeorm-repositories';

const ROOT = resolve(__dirname, '../..');
const DAY_MS = 24 * 3600 * 1000;
const SPAN_MS = 30 * DAY_MS;
const MODELS = [
  'gpt-4o-mini',
  'gpt-4o',
  'claude-3-5-sonnet',
  'llama-3.1-70b',
  'text-embedding-3-small',
  'gpt-4.1',
  'o3-mini',
  'mistral-large',
];

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
}

const settings = {
  rows: envNumber('BENCH_STORE_ROWS', 1_000_000),
  runs: envNumber('BENCH_STORE_RUNS', 25),
  stores: (process.env['BENCH_STORE_STORES'] || 'sqlite,postgres').split(',').map((s) => s.trim()),
  postgresUrl: process.env['BENCH_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test',
};

/** A seeded store, as `extraCases` gets it. */
export interface BenchStore {
  name: 'SQLite' | 'PostgreSQL';
  store: Store;
  logs: TypeOrmRequestLogRepository;
  /** The newest row's time; rows go back 30 days from it. */
  now: Date;
  rows: number;
}

/** One timed query; `plan` is printed once (EXPLAIN). */
export interface StoreBenchCase {
  name: string;
  run(): Promise<unknown>;
  plan?(): Promise<string>;
}

export interface StoreBenchOptions {
  extraCases?: (store: BenchStore) => StoreBenchCase[] | Promise<StoreBenchCase[]>;
}

export interface StoreBenchResult {
  store: string;
  case: string;
  medianMs: number;
  p95Ms: number;
  rows: number;
  plan?: string;
}

// ---------------------------------------------------------------------------------------------
// The rows: one deterministic distribution, computed the same way in JavaScript (SQLite) and SQL
// (PostgreSQL): 200 keys of 50 users, a quarter of the keys in 10 teams, 8 models, 12 channels,
// ~4% errors of several classes, latencies 20-5000 ms, evenly spread over 30 days. The key is a
// multiplicative hash of the row number, so that keys, models and statuses are not correlated.

const HASH = 2654435761;
/** The key of row i: the high bits of the hash, like Math.floor below (the low bits follow i). */
const KEY_SQL = `(((i * ${HASH}) % 4294967296) * 200 / 4294967296)`;

function status(i: number): { status: number; errorClass: string | null } {
  if (i % 50 === 0) return { status: 429, errorClass: 'rate_limit_exceeded' };
  if (i % 97 === 0) return { status: 500, errorClass: 'upstream_error' };
  if (i % 211 === 0) return { status: 504, errorClass: 'upstream_timeout' };
  if (i % 301 === 0) return { status: 400, errorClass: 'invalid_request' };
  return { status: 200, errorClass: null };
}

const STATUS_SQL = `CASE WHEN i % 50 = 0 THEN 429 WHEN i % 97 = 0 THEN 500 WHEN i % 211 = 0 THEN 504 WHEN i % 301 = 0 THEN 400 ELSE 200 END`;
const ERROR_SQL = `CASE WHEN i % 50 = 0 THEN 'rate_limit_exceeded' WHEN i % 97 = 0 THEN 'upstream_error'
  WHEN i % 211 = 0 THEN 'upstream_timeout' WHEN i % 301 = 0 THEN 'invalid_request' END`;

function rowTimes(rows: number, now: number) {
  const start = now - SPAN_MS;
  const step = SPAN_MS / rows;
  return { start, step };
}

function sqliteDatetime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

function requestId(ms: number, i: number): string {
  return `req_${ms.toString(16).padStart(12, '0')}${i.toString(16).padStart(20, '0')}`;
}

interface BetterSqlite {
  prepare(sql: string): { run(...params: unknown[]): unknown };
  transaction(fn: () => void): () => void;
  exec(sql: string): void;
}

function seedSqlite(store: Store, rows: number, now: number): void {
  const db = (store.dataSource.driver as unknown as { databaseConnection: BetterSqlite }).databaseConnection;
  const insert = db.prepare(
    `INSERT INTO request_logs (id, created_at, endpoint, key_id, user_id, team_id, requested_model, route_name,
      channel_id, upstream_model, attempts, stream, status, latency_ms, ttft_ms, prompt_tokens, completion_tokens,
      total_tokens, cached_tokens, usage_source, cost_usd, error_class, error_message)
     VALUES (?, ?, 'chat.completions', ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, 120, 40, 160, NULL, 'upstream', 0.0001, ?, ?)`,
  );
  const { start, step } = rowTimes(rows, now);
  db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      const ms = Math.floor(start + i * step);
      const key = Math.floor((((i * HASH) % 4294967296) * 200) / 4294967296);
      const model = MODELS[(i * 13) % 8];
      const { status: code, errorClass } = status(i);
      insert.run(
        requestId(ms, i),
        sqliteDatetime(ms),
        `key-${key}`,
        `user-${key % 50}`,
        key % 4 === 0 ? `team-${key % 10}` : null,
        model,
        model,
        `ch-${(i * 11) % 12}`,
        model,
        i % 3 === 0 ? 1 : 0,
        code,
        ((i * 37) % 4981) + 20,
        i % 3 === 0 ? ((i * 17) % 400) + 5 : null,
        errorClass,
        errorClass ? `${errorClass} (bench)` : null,
      );
    }
  })();
}

async function seedPostgres(client: Client, schema: string, rows: number, now: number): Promise<void> {
  const { start, step } = rowTimes(rows, now);
  const models = `(ARRAY[${MODELS.map((m) => `'${m}'`).join(',')}])[((i * 13) % 8) + 1]`;
  const ms = `floor(${start} + i * ${step})::bigint`;
  const batch = 250_000;
  for (let from = 0; from < rows; from += batch) {
    const to = Math.min(rows, from + batch) - 1;
    await client.query(`
      INSERT INTO "${schema}".request_logs (id, created_at, endpoint, key_id, user_id, team_id, requested_model,
        route_name, channel_id, upstream_model, attempts, stream, status, latency_ms, ttft_ms, prompt_tokens,
        completion_tokens, total_tokens, cached_tokens, usage_source, cost_usd, error_class, error_message)
      SELECT 'req_' || lpad(to_hex(${ms}), 12, '0') || lpad(to_hex(i), 20, '0'),
        to_timestamp(${ms} / 1000.0), 'chat.completions',
        'key-' || ${KEY_SQL}, 'user-' || (${KEY_SQL} % 50),
        CASE WHEN ${KEY_SQL} % 4 = 0 THEN 'team-' || (${KEY_SQL} % 10) END,
        ${models}, ${models}, 'ch-' || ((i * 11) % 12), ${models}, 1, i % 3 = 0,
        ${STATUS_SQL}, ((i * 37) % 4981) + 20, CASE WHEN i % 3 = 0 THEN ((i * 17) % 400) + 5 END,
        120, 40, 160, NULL, 'upstream', 0.0001, ${ERROR_SQL}, (${ERROR_SQL}) || ' (bench)'
      FROM generate_series(${from}::bigint, ${to}::bigint) AS i`);
  }
  await client.query(`ANALYZE "${schema}".request_logs`);
}

// ---------------------------------------------------------------------------------------------
// The searches

function searchCases(
  bench: BenchStore,
  cursors: { page20: RequestLogSearch['after']; key20: RequestLogSearch['after'] },
) {
  const { logs, store, now } = bench;
  const middleId = requestId(Math.floor(now.getTime() - SPAN_MS / 2), Math.floor(bench.rows / 2));
  const searches: [string, RequestLogSearch][] = [
    ['first page, no filter', { filter: {}, first: 50 }],
    ['page 20 via cursor, no filter', { filter: {}, first: 50, after: cursors.page20 }],
    ['by key', { filter: { keyId: 'key-17' }, first: 50 }],
    ['by key, page 20 via cursor', { filter: { keyId: 'key-17' }, first: 50, after: cursors.key20 }],
    ['by user + 4xx', { filter: { userId: 'user-3', statusClass: 4 }, first: 50 }],
    ['by team', { filter: { teamId: 'team-4' }, first: 50 }],
    ['5xx in the last day', { filter: { statusClass: 5, since: new Date(now.getTime() - DAY_MS) }, first: 50 }],
    [
      'by model + latency 1-2 s, 7 days',
      {
        filter: {
          model: 'gpt-4o',
          minLatencyMs: 1000,
          maxLatencyMs: 2000,
          since: new Date(now.getTime() - 7 * DAY_MS),
        },
        first: 50,
      },
    ],
    ['by channel, error class', { filter: { channelId: 'ch-5', errorClass: 'upstream_timeout' }, first: 50 }],
    [
      'member (own rows) + model',
      { filter: { visibleTo: { userIds: ['user-9'], teamIds: [] }, requestedModel: 'o3-mini' }, first: 50 },
    ],
    ['by request id', { filter: { requestId: middleId }, first: 50 }],
  ];
  const repo = store.dataSource.getRepository(store.entities.requestLog);
  return searches.map(
    ([name, search]): StoreBenchCase => ({
      name,
      run: () => logs.search(search),
      plan: () => explain(store, ...requestLogSearchQuery(repo, store.dialect, search).getQueryAndParameters()),
    }),
  );
}

async function explain(store: Store, sql: string, params: unknown[]): Promise<string> {
  if (store.dialect === 'sqlite') {
    const rows: { detail: string }[] = await store.dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, params);
    return rows.map((r) => r.detail).join('; ');
  }
  const rows: { 'QUERY PLAN': string }[] = await store.dataSource.query(`EXPLAIN ${sql}`, params);
  return rows
    .map((r) => r['QUERY PLAN'].trim())
    .filter((line) => /Scan|Sort|Limit/.test(line))
    .map((line) => line.replace(/\s+\(cost=.*$/, '').replace(/^->\s*/, ''))
    .join('; ');
}

async function cursorAt(logs: TypeOrmRequestLogRepository, search: RequestLogSearch, page: number) {
  let after: RequestLogSearch['after'];
  for (let i = 1; i < page; i++) {
    const last: RequestLogEntry | undefined = (await logs.search({ ...search, after })).entries.at(-1);
    if (!last) break;
    after = { createdAt: last.createdAt, id: last.id };
  }
  return after;
}

async function time(run: () => Promise<unknown>, runs: number): Promise<{ medianMs: number; p95Ms: number }> {
  for (let i = 0; i < 2; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];
  return { medianMs: at(0.5), p95Ms: at(0.95) };
}

/** What a write of the gateway's batches costs with every index in place: rows per second. */
async function writeCost(logs: TypeOrmRequestLogRepository, now: Date, batches = 20): Promise<number> {
  const size = 500;
  const started = performance.now();
  for (let b = 0; b < batches; b++) {
    const entries: RequestLogEntry[] = Array.from({ length: size }, (_, i) => ({
      id: requestId(now.getTime() + 1000 + b, i + 1_000_000_000),
      createdAt: new Date(now.getTime() + 1000 + b),
      endpoint: 'chat.completions',
      keyId: `key-${i % 200}`,
      userId: `user-${i % 50}`,
      teamId: null,
      requestedModel: MODELS[i % 8],
      routeName: MODELS[i % 8],
      channelId: `ch-${i % 12}`,
      upstreamModel: MODELS[i % 8],
      attempts: 1,
      stream: false,
      status: 200,
      latencyMs: 100,
      ttftMs: null,
      promptTokens: 10,
      completionTokens: 5,
      totalTokens: 15,
      cachedTokens: null,
      usageSource: 'upstream',
      costUsd: 0.0001,
      errorClass: null,
      errorMessage: null,
    }));
    await logs.insertMany(entries);
  }
  return Math.round((batches * size) / ((performance.now() - started) / 1000));
}

/** Back to the indexes before migration 0013, to show what the search indexes cost writes. */
async function dropSearchIndexes(store: Store): Promise<void> {
  for (const index of [
    'idx_request_logs_created_id',
    'idx_request_logs_user_created',
    'idx_request_logs_team_created',
    'idx_request_logs_failed',
    'idx_request_logs_error_class',
  ])
    await store.dataSource.query(`DROP INDEX ${index}`);
  await store.dataSource.query('CREATE INDEX idx_request_logs_created_at ON request_logs (created_at)');
}

async function benchStore(
  name: BenchStore['name'],
  open: () => Promise<{ store: Store; seed: (now: number) => Promise<void>; cleanup: () => Promise<void> }>,
  options: StoreBenchOptions,
  results: StoreBenchResult[],
  notes: string[],
): Promise<void> {
  const { store, seed, cleanup } = await open();
  const logs = new TypeOrmRequestLogRepository(store);
  try {
    const now = Date.now();
    const seeding = performance.now();
    await seed(now);
    const seedS = (performance.now() - seeding) / 1000;
    notes.push(`${name}: seeded ${settings.rows.toLocaleString('en')} rows in ${seedS.toFixed(1)} s`);
    const bench: BenchStore = { name, store, logs, now: new Date(now), rows: settings.rows };
    const cursors = {
      page20: await cursorAt(logs, { filter: {}, first: 50 }, 20),
      key20: await cursorAt(logs, { filter: { keyId: 'key-17' }, first: 50 }, 20),
    };
    const cases = [...searchCases(bench, cursors), ...((await options.extraCases?.(bench)) ?? [])];
    for (const c of cases) {
      const rows = await c.run();
      const count = Array.isArray(rows) ? rows.length : ((rows as { entries?: unknown[] })?.entries?.length ?? 0);
      const timing = await time(c.run, settings.runs);
      const plan = c.plan ? await c.plan() : undefined;
      results.push({ store: name, case: c.name, ...timing, rows: count, plan });
      process.stderr.write(`  ${name}: ${c.name}: ${timing.medianMs.toFixed(2)} ms\n`);
    }
    await writeCost(logs, new Date(bench.now.getTime() - 120_000), 1); // starts the SQLite writer thread
    const withIndexes = await writeCost(logs, bench.now);
    await dropSearchIndexes(store);
    const without = await writeCost(logs, new Date(bench.now.getTime() + 60_000));
    notes.push(
      `${name}: request-log writes through the repository (batches of 500): ${withIndexes.toLocaleString('en')} rows/s ` +
        `with the search indexes, ${without.toLocaleString('en')} rows/s without them (as before migration 0013)`,
    );
  } finally {
    await logs.close();
    await store.dataSource.destroy();
    await cleanup();
  }
}

async function openSqlite() {
  const dir = mkdtempSync(join(tmpdir(), 'synapse-bench-store-'));
  const store = await openStore({ dataDir: dir, warn: () => undefined });
  return {
    store,
    seed: async (now: number) => seedSqlite(store, settings.rows, now),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function openPostgres() {
  const admin = new Client({ connectionString: settings.postgresUrl });
  await admin.connect();
  const schema = `bench_store_${process.pid}`;
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; CREATE SCHEMA "${schema}"`);
  const store = await openStore({ dataDir: '', databaseUrl: settings.postgresUrl, schema });
  return {
    store,
    seed: (now: number) => seedPostgres(admin, schema, settings.rows, now),
    cleanup: async () => {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

async function postgresReachable(): Promise<boolean> {
  const client = new Client({ connectionString: settings.postgresUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export function formatStoreBench(results: readonly StoreBenchResult[], notes: readonly string[]): string {
  const lines = [
    `Request-log search at ${settings.rows.toLocaleString('en')} rows (${settings.runs} runs each, after 2 warm-up runs)`,
    '',
    '| store | query | median ms | p95 ms | rows | plan |',
    '| --- | --- | ---: | ---: | ---: | --- |',
    ...results.map(
      (r) =>
        `| ${r.store} | ${r.case} | ${r.medianMs.toFixed(2)} | ${r.p95Ms.toFixed(2)} | ${r.rows} | ${(r.plan ?? '').replace(/\|/g, '/')} |`,
    ),
    '',
    ...notes.map((n) => `- ${n}`),
  ];
  return lines.join('\n');
}

export async function runStoreQueryBench(options: StoreBenchOptions = {}): Promise<StoreBenchResult[]> {
  const results: StoreBenchResult[] = [];
  const notes: string[] = [];
  if (settings.stores.includes('sqlite')) await benchStore('SQLite', openSqlite, options, results, notes);
  if (settings.stores.includes('postgres')) {
    if (await postgresReachable()) await benchStore('PostgreSQL', openPostgres, options, results, notes);
    else notes.push(`PostgreSQL: not reachable at ${settings.postgresUrl}, skipped`);
  }
  const table = formatStoreBench(results, notes);
  process.stdout.write(`\n${table}\n`);
  const out = join(ROOT, 'dist/bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'store-queries.json'),
    JSON.stringify({ at: new Date().toISOString(), settings, results, notes }, null, 2),
  );
  return results;
}

/**
 * The usage dashboards' queries (tools/bench/usage-queries.bench.ts) on the same seeded log, after
 * rolling it all up (timed and printed). BENCH_STORE_USAGE=0 leaves them out: the rollup of a
 * million rows takes minutes.
 */
async function usageCases(bench: BenchStore): Promise<StoreBenchCase[]> {
  if (process.env['BENCH_STORE_USAGE'] === '0') return [];
  const { rollupSeededStore, usageQueryCases } = await import('./usage-queries.bench');
  const rollup = await rollupSeededStore(bench.store);
  process.stdout.write(
    `${bench.name}: rolled up ${rollup.sourceRows} log rows into ${rollup.minuteRows} minute, ${rollup.hourRows} hour and ${rollup.dayRows} day rows in ${(rollup.ms / 1000).toFixed(1)} s\n`,
  );
  return (await usageQueryCases(bench.store)).map((c) => ({ name: `usage: ${c.name}`, run: c.run }));
}

if (require.main === module) {
  runStoreQueryBench({ extraCases: usageCases }).catch((error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
