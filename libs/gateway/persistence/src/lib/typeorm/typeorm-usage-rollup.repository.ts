import { decodeBuckets, encodeBuckets } from '@synapse/metrics';
import type { MinuteCount, UsageGranularity, UsageRollup, UsageSourceGroup, UsageTotals } from '../models/usage-rollup';
import type { UsageSums } from '../usage-sums';
import {
  UsageRollupRepository,
  type LoggedCounts,
  type UsageCellTotals,
  type UsageGroupTotals,
  type UsageRollupQuery,
  type UsageSeriesPoint,
} from '../usage-repositories';
import type { Store } from './data-source';
import { mapInTurns, nextTurn } from '../event-loop-turns';
import { readOffLoop, type SqliteThreads } from './off-loop-read';
import { readMinute, readTimestamp, SqlParams } from './sql-params';
import { sqliteDatetime } from './sqlite-datetime';
import { loggedPerMinuteQuery, usageSourceQuery } from './usage-source-query';

const KEY = ['granularity', 'dimension', 'dimension_value', 'bucket_start', 'model'] as const;
/** Columns and fields of the sums, in one order. */
const SUMS = [
  ['requests', 'requests'],
  ['errors', 'errors'],
  ['prompt_tokens', 'promptTokens'],
  ['completion_tokens', 'completionTokens'],
  ['cached_tokens', 'cachedTokens'],
  ['cost_usd', 'costUsd'],
  ['latency_sum_ms', 'latencySumMs'],
  ['ttft_sum_ms', 'ttftSumMs'],
  ['ttft_count', 'ttftCount'],
  ['generation_ms', 'generationMs'],
  ['generation_tokens', 'generationTokens'],
] as const satisfies readonly (readonly [string, keyof UsageSums])[];
const COLUMNS = [...KEY, ...SUMS.map(([column]) => column), 'latency_buckets'];
/** Rows per INSERT: on SQLite 17 parameters each, well under its limit. */
const UPSERT_CHUNK = 500;
/** PostgreSQL array types of the columns that are not bigint, for `unnest`. */
const PG_ARRAY_TYPES: Record<string, string> = {
  granularity: 'text[]',
  dimension: 'text[]',
  dimension_value: 'text[]',
  bucket_start: 'timestamptz[]',
  model: 'text[]',
  cost_usd: 'double precision[]',
  latency_buckets: 'text[]',
};
const STATE = 'usage';

type Raw = Record<string, unknown>;

const CONFLICT = `ON CONFLICT (${KEY.join(', ')}) DO UPDATE SET ${COLUMNS.slice(KEY.length)
  .map((column) => `${column} = excluded.${column}`)
  .join(', ')}`;

/** PostgreSQL takes one array per column: a statement of 17 parameters whatever the rows, parsed and planned fast. */
const postgresUpsert = `INSERT INTO usage_rollups (${COLUMNS.join(', ')})
  SELECT * FROM unnest(${COLUMNS.map((column, n) => `$${n + 1}::${PG_ARRAY_TYPES[column] ?? 'bigint[]'}`).join(', ')}) ${CONFLICT}`;

function postgresArrays(chunk: readonly UsageRollup[]): unknown[][] {
  return [
    chunk.map((row) => row.granularity),
    chunk.map((row) => row.dimension),
    chunk.map((row) => row.dimensionValue),
    chunk.map((row) => row.bucketStart),
    chunk.map((row) => row.model),
    ...SUMS.map(([, field]) => chunk.map((row) => row[field])),
    chunk.map((row) => row.latencyBuckets),
  ];
}

/** SQLite: one multi-row INSERT per chunk. */
function sqliteUpsert(chunk: readonly UsageRollup[]): { sql: string; params: unknown[] } {
  const params = new SqlParams('sqlite');
  const tuples = chunk.map((row) => {
    const values = [
      params.add(row.granularity),
      params.add(row.dimension),
      params.add(row.dimensionValue),
      params.time(row.bucketStart),
      params.add(row.model),
      ...SUMS.map(([, field]) => params.add(row[field])),
      params.add(row.latencyBuckets),
    ];
    return `(${values.join(', ')})`;
  });
  return {
    sql: `INSERT INTO usage_rollups (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} ${CONFLICT}`,
    params: params.values,
  };
}

export class TypeOrmUsageRollupRepository extends UsageRollupRepository {
  /**
   * `sqliteThreads`: the request log's threads (TypeOrmRequestLogRepository.sqliteThreads): on
   * SQLite their reader reads the request log and the rollups, and their writer writes the rollups
   * for the job; without them those run on the caller's thread.
   */
  constructor(
    private readonly store: Store,
    private readonly sqliteThreads?: SqliteThreads,
  ) {
    super();
  }

  async upsert(rows: readonly UsageRollup[]): Promise<void> {
    if (rows.length === 0) return;
    const chunks: UsageRollup[][] = [];
    if (this.store.dialect === 'postgres') {
      // One order for every writer: concurrent upserts on PostgreSQL take row locks in the same order.
      const sorted = [...rows].sort(compareKeys);
      for (let i = 0; i < sorted.length; i += UPSERT_CHUNK) chunks.push(sorted.slice(i, i + UPSERT_CHUNK));
      await this.store.transaction(async (manager) => {
        for (const chunk of chunks) await manager.query(postgresUpsert, postgresArrays(chunk));
      });
      return;
    }
    // SQLite has one writer at a time: no order needed. Built a chunk a turn of the event loop.
    const statements: { sql: string; params: unknown[] }[] = [];
    for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
      if (i > 0) await nextTurn();
      statements.push(sqliteUpsert(rows.slice(i, i + UPSERT_CHUNK)));
    }
    // On SQLite a write holds the thread that runs it: the job's upserts go to the log's writer thread.
    if (this.sqliteThreads) {
      await this.sqliteThreads().execAll(statements);
      return;
    }
    await this.store.transaction(async (manager) => {
      for (const { sql, params } of statements) await manager.query(sql, params);
    });
  }

  async rowsBetween(granularity: UsageGranularity, from: Date, to: Date): Promise<UsageRollup[]> {
    const params = new SqlParams(this.store.dialect);
    const rows: Raw[] = await this.store.dataSource.query(
      `SELECT ${COLUMNS.join(', ')} FROM usage_rollups
       WHERE granularity = ${params.add(granularity)} AND bucket_start >= ${params.time(from)} AND bucket_start < ${params.time(to)}`,
      params.values,
    );
    return rows.map((row) => ({
      granularity: row['granularity'] as UsageGranularity,
      dimension: row['dimension'] as UsageRollup['dimension'],
      dimensionValue: row['dimension_value'] as string,
      bucketStart: readTimestamp(row['bucket_start'] as Date | string),
      model: row['model'] as string,
      ...readSums(row, row['latency_buckets']),
    }));
  }

  async series(query: UsageRollupQuery): Promise<UsageSeriesPoint[]> {
    const rows = await this.sum(query, true);
    return rows.map((row) => ({ bucketStart: readTimestamp(row['bucket_start'] as Date | string), ...readGroup(row) }));
  }

  async totals(query: UsageRollupQuery): Promise<UsageGroupTotals[]> {
    // Without a group SQL answers one row of NULL sums even when nothing matched.
    return (await this.sum(query, false)).map(readGroup).filter((group) => group.requests > 0);
  }

  async deleteOlderThan(granularity: UsageGranularity, before: Date, limit: number): Promise<number> {
    const params = new SqlParams(this.store.dialect);
    const row = this.store.dialect === 'postgres' ? 'ctid' : 'rowid';
    return this.affected(
      `DELETE FROM usage_rollups WHERE ${row} IN (
         SELECT ${row} FROM usage_rollups
         WHERE granularity = ${params.add(granularity)} AND bucket_start < ${params.time(before)}
         LIMIT ${params.add(Math.max(0, Math.floor(limit)))})`,
      params.values,
    );
  }

  async sumBetween(granularity: UsageGranularity, from: Date, to: Date): Promise<UsageCellTotals[]> {
    const params = new SqlParams(this.store.dialect);
    const rows = await readOffLoop(this.store, this.sqliteThreads, {
      sql: `SELECT dimension, dimension_value, model, ${SUMS.map(([column]) => `SUM(${column}) AS ${column}`).join(', ')},
         ${this.concatBuckets()} AS latency_buckets
       FROM usage_rollups
       WHERE granularity = ${params.add(granularity)} AND bucket_start >= ${params.time(from)} AND bucket_start < ${params.time(to)}
       GROUP BY dimension, dimension_value, model`,
      params: params.values,
    });
    return mapInTurns(rows, (row) => ({
      dimension: row['dimension'] as UsageRollup['dimension'],
      dimensionValue: row['dimension_value'] as string,
      model: row['model'] as string,
      // The bucket's histograms, concatenated: decoding adds the counts of repeated buckets.
      ...readSums(row, row['latency_buckets']),
    }));
  }

  async sourceGroups(from: Date, to: Date): Promise<UsageSourceGroup[]> {
    const rows = await readOffLoop(this.store, this.sqliteThreads, usageSourceQuery(this.store.dialect, from, to));
    return mapInTurns(rows, readSourceGroup);
  }

  async loggedPerMinute(from: Date, to: Date): Promise<MinuteCount[]> {
    const rows = await readOffLoop(this.store, this.sqliteThreads, loggedPerMinuteQuery(this.store.dialect, from, to));
    return rows.map(readMinuteCount);
  }

  async longCallsPerMinute(from: Date, to: Date): Promise<MinuteCount[]> {
    const query = loggedPerMinuteQuery(this.store.dialect, from, to, true);
    return (await readOffLoop(this.store, this.sqliteThreads, query)).map(readMinuteCount);
  }

  override async countLogged(from: Date, to: Date, onlyWritten = false): Promise<LoggedCounts> {
    if (this.store.dialect !== 'sqlite' || !this.sqliteThreads) return super.countLogged(from, to, onlyWritten);
    const minute = (date: Date) => sqliteDatetime(date).slice(0, 16);
    const { sql } = loggedPerMinuteQuery('sqlite', from, to);
    const { counts, groups } = await this.sqliteThreads().drainUsage(sql, minute(from), minute(to), onlyWritten);
    return {
      perMinute: counts.map(readMinuteCount),
      writtenSince: groups ? await mapInTurns(groups, readSourceGroup) : null,
    };
  }

  private concatBuckets(): string {
    return this.store.dialect === 'postgres'
      ? "string_agg(latency_buckets, ',')"
      : "group_concat(latency_buckets, ',')";
  }

  async earliestSource(): Promise<Date | null> {
    const [row] = await readOffLoop(this.store, this.sqliteThreads, {
      sql: 'SELECT MIN(created_at) AS earliest FROM request_logs',
      params: [],
    });
    const earliest = row?.['earliest'] as Date | string | null | undefined;
    return earliest ? readTimestamp(earliest) : null;
  }

  async watermark(): Promise<Date | null> {
    const params = new SqlParams(this.store.dialect);
    const [row]: Raw[] = await this.store.dataSource.query(
      `SELECT watermark_ms FROM usage_rollup_state WHERE name = ${params.add(STATE)}`,
      params.values,
    );
    const ms = nullableNumber(row?.['watermark_ms']);
    return ms === null ? null : new Date(ms);
  }

  async advanceWatermark(to: Date): Promise<void> {
    await this.ensureState();
    const params = new SqlParams(this.store.dialect);
    const ms = params.add(to.getTime());
    await this.store.dataSource.query(
      `UPDATE usage_rollup_state SET watermark_ms = ${ms}
       WHERE name = ${params.add(STATE)} AND (watermark_ms IS NULL OR watermark_ms < ${params.add(to.getTime())})`,
      params.values,
    );
  }

  async acquireLease(owner: string, now: Date, ttlMs: number): Promise<boolean> {
    await this.ensureState();
    const params = new SqlParams(this.store.dialect);
    const taken = await this.affected(
      `UPDATE usage_rollup_state SET lease_owner = ${params.add(owner)}, lease_until_ms = ${params.add(now.getTime() + ttlMs)}
       WHERE name = ${params.add(STATE)}
         AND (lease_owner IS NULL OR lease_owner = ${params.add(owner)} OR lease_until_ms < ${params.add(now.getTime())})`,
      params.values,
    );
    return taken > 0;
  }

  async releaseLease(owner: string): Promise<void> {
    const params = new SqlParams(this.store.dialect);
    await this.store.dataSource.query(
      `UPDATE usage_rollup_state SET lease_owner = NULL, lease_until_ms = NULL
       WHERE name = ${params.add(STATE)} AND lease_owner = ${params.add(owner)}`,
      params.values,
    );
  }

  private async ensureState(): Promise<void> {
    const params = new SqlParams(this.store.dialect);
    await this.store.dataSource.query(
      `INSERT INTO usage_rollup_state (name) VALUES (${params.add(STATE)}) ON CONFLICT (name) DO NOTHING`,
      params.values,
    );
  }

  /** Runs a write and returns how many rows it changed. */
  private async affected(sql: string, values: unknown[]): Promise<number> {
    const runner = this.store.dataSource.createQueryRunner();
    try {
      const result = await runner.query(sql, values, true);
      return result.affected ?? 0;
    } finally {
      await runner.release();
    }
  }

  private sum(query: UsageRollupQuery, perBucket: boolean): Promise<Raw[]> {
    const params = new SqlParams(this.store.dialect);
    const where = [
      `granularity = ${params.add(query.granularity)}`,
      `dimension = ${params.add(query.dimension)}`,
      ...(query.dimension === 'all' ? [`dimension_value = ''`] : []),
      ...(query.dimensionValue !== undefined ? [`dimension_value = ${params.add(query.dimensionValue)}`] : []),
      ...(query.model !== undefined ? [`model = ${params.add(query.model)}`] : []),
      `bucket_start >= ${params.time(query.from)}`,
      `bucket_start < ${params.time(query.to)}`,
    ];
    const group = query.groupBy === 'value' ? 'dimension_value' : query.groupBy === 'model' ? 'model' : null;
    const keys = [...(perBucket ? ['bucket_start'] : []), ...(group ? [group] : [])];
    const concat = this.concatBuckets();
    const select = [
      ...keys.map((key) => (key === group ? `${key} AS grp` : key)),
      ...SUMS.map(([column]) => `SUM(${column}) AS ${column}`),
      `${concat} AS latency_buckets`,
    ];
    // A month of a team's hours is a scan of many rollup rows (100-200 ms on a busy log's
    // rollups): on SQLite the dashboards' reads run on the log's reader thread, not the event loop.
    return readOffLoop(this.store, this.sqliteThreads, {
      sql: `SELECT ${select.join(', ')} FROM usage_rollups WHERE ${where.join(' AND ')}
       ${keys.length ? `GROUP BY ${keys.join(', ')} ORDER BY ${keys.join(', ')}` : ''}`,
      params: params.values,
    });
  }
}

function readGroup(row: Raw): UsageGroupTotals {
  return { group: (row['grp'] as string | undefined) ?? null, ...readSums(row, row['latency_buckets']) };
}

function readSums(row: Raw, buckets: unknown): UsageTotals {
  return { ...readSumColumns(row), latencyBuckets: encodeBuckets(decodeBuckets(buckets as string | null)) };
}

/** The sum columns of a row (PostgreSQL gives sums of integers as text). */
function readSumColumns(row: Raw): UsageSums {
  const sums = {} as UsageSums;
  for (const [column, field] of SUMS) sums[field] = Number(row[column] ?? 0);
  return sums;
}

/** One row of `usageSourceQuery`'s answer: its sums carry the rollup columns' names. */
function readSourceGroup(row: Raw): UsageSourceGroup {
  return {
    minute: readMinute(row['minute']),
    keyId: (row['key_id'] as string | null) ?? null,
    userId: (row['user_id'] as string | null) ?? null,
    teamId: (row['team_id'] as string | null) ?? null,
    channelId: (row['channel_id'] as string | null) ?? null,
    model: row['model'] as string,
    latencyBucket: Number(row['latency_bucket']),
    ...readSumColumns(row),
  };
}

function readMinuteCount(row: Raw): MinuteCount {
  return { minute: readMinute(row['minute']), requests: Number(row['requests']) };
}

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function compareKeys(a: UsageRollup, b: UsageRollup): number {
  return (
    cmp(a.granularity, b.granularity) ||
    cmp(a.dimension, b.dimension) ||
    cmp(a.dimensionValue, b.dimensionValue) ||
    a.bucketStart.getTime() - b.bucketStart.getTime() ||
    cmp(a.model, b.model)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
