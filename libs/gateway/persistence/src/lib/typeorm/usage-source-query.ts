import { LATENCY_BUCKETS_MS } from '@synapse/metrics';
import type { SqlDialect } from './column-types';
import { LONG_CALL_MS } from '../alert-repositories';
import { minuteOf, SqlParams } from './sql-params';

/** `bucketIndex(latency_ms)` in SQL: the first bucket whose bound the latency does not exceed. */
const LATENCY_BUCKET = `CASE ${LATENCY_BUCKETS_MS.map((bound, i) => `WHEN latency_ms <= ${bound} THEN ${i}`).join(' ')} ELSE ${LATENCY_BUCKETS_MS.length} END`;

/** A stream that produced output: the time after its first token is generation time. */
const GENERATING = 'ttft_ms IS NOT NULL AND completion_tokens > 0';

/**
 * The statement that sums the request-log rows of [from, to) into `UsageSourceGroup`s, the same
 * sums as `groupUsageSource` makes in code; the sums are named as the rollup's columns. Summing in the store is what keeps the rollup job's
 * cost to a few rows a minute: read row by row, a minute of heavy traffic took the event loop
 * for most of a second every run.
 */
export function usageSourceQuery(dialect: SqlDialect, from: Date, to: Date): { sql: string; params: unknown[] } {
  const params = new SqlParams(dialect);
  const minute = minuteOf(dialect);
  const greatest = dialect === 'postgres' ? 'GREATEST' : 'MAX';
  const sql = `SELECT ${minute} AS minute, key_id, user_id, team_id, channel_id,
      COALESCE(requested_model, upstream_model, '') AS model, ${LATENCY_BUCKET} AS latency_bucket,
      COUNT(*) AS requests,
      SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors,
      SUM(COALESCE(prompt_tokens, 0)) AS prompt_tokens,
      SUM(COALESCE(completion_tokens, 0)) AS completion_tokens,
      SUM(COALESCE(cached_tokens, 0)) AS cached_tokens,
      SUM(COALESCE(cost_usd, 0)) AS cost_usd,
      SUM(latency_ms) AS latency_sum_ms,
      SUM(COALESCE(ttft_ms, 0)) AS ttft_sum_ms,
      COUNT(ttft_ms) AS ttft_count,
      SUM(CASE WHEN ${GENERATING} THEN ${greatest}(0, latency_ms - ttft_ms) ELSE 0 END) AS generation_ms,
      SUM(CASE WHEN ${GENERATING} THEN completion_tokens ELSE 0 END) AS generation_tokens
    FROM request_logs WHERE created_at >= ${params.time(from)} AND created_at < ${params.time(to)}
    GROUP BY 1, 2, 3, 4, 5, 6, 7`;
  return { sql, params: params.values };
}

/**
 * The request-log rows of [from, to) counted per minute. It reads `idx_request_logs_created_id`
 * alone (an index-only scan): a twentieth of the cost of `usageSourceQuery` over the same rows, so
 * the rollup job can find which minutes changed before it sums them again.
 */
export function loggedPerMinuteQuery(
  dialect: SqlDialect,
  from: Date,
  to: Date,
  onlyLongCalls = false,
): { sql: string; params: unknown[] } {
  const params = new SqlParams(dialect);
  // A literal: it matches the partial index of long calls (migration 0019).
  const long = onlyLongCalls ? ` AND latency_ms >= ${LONG_CALL_MS}` : '';
  const sql = `SELECT ${minuteOf(dialect)} AS minute, COUNT(*) AS requests FROM request_logs
    WHERE created_at >= ${params.time(from)} AND created_at < ${params.time(to)}${long} GROUP BY 1`;
  return { sql, params: params.values };
}
