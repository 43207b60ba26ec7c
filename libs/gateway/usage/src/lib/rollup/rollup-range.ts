import type { UsageRollupRepository } from '@synapse/gateway/persistence';
import { rollupCoarser, rollupMinutes } from './aggregate-usage';
import { BUCKET_MS, bucketCeil, bucketStart } from './buckets';

/** What one rollup over a range did. */
export interface RollupRangeResult {
  /** Request-log rows read. */
  sourceRows: number;
  /** Rollup rows written, per granularity. */
  minuteRows: number;
  hourRows: number;
  dayRows: number;
}

/**
 * Recomputes the rollups of [from, to) from the request log: minutes from log rows, then every
 * hour touching the range from its minute rows, then every day from its hour rows. Each bucket is
 * computed whole and written with an upsert that replaces, so running it again (or on two
 * replicas at once) gives the same rows. Log rows are read an hour at a time.
 */
export async function rollupRange(repo: UsageRollupRepository, from: Date, to: Date): Promise<RollupRangeResult> {
  const result: RollupRangeResult = { sourceRows: 0, minuteRows: 0, hourRows: 0, dayRows: 0 };
  const start = bucketStart(from.getTime(), 'minute');
  const end = to.getTime();
  if (start >= end) return result;

  for (let chunk = start; chunk < end; chunk = Math.min(end, bucketStart(chunk, 'hour') + BUCKET_MS.hour)) {
    const next = Math.min(end, bucketStart(chunk, 'hour') + BUCKET_MS.hour);
    const rows = await repo.sourceRows(new Date(chunk), new Date(next));
    result.sourceRows += rows.length;
    const minutes = rollupMinutes(rows);
    await repo.upsert(minutes);
    result.minuteRows += minutes.length;
  }

  const hoursEnd = bucketCeil(end, 'hour');
  for (let day = bucketStart(start, 'day'); day < hoursEnd; day += BUCKET_MS.day) {
    const from = Math.max(day, bucketStart(start, 'hour'));
    const until = Math.min(day + BUCKET_MS.day, hoursEnd);
    const hours = rollupCoarser(await repo.rowsBetween('minute', new Date(from), new Date(until)), 'hour');
    await repo.upsert(hours);
    result.hourRows += hours.length;
  }

  const daysEnd = bucketCeil(end, 'day');
  for (let day = bucketStart(start, 'day'); day < daysEnd; day += 31 * BUCKET_MS.day) {
    const until = Math.min(day + 31 * BUCKET_MS.day, daysEnd);
    const days = rollupCoarser(await repo.rowsBetween('hour', new Date(day), new Date(until)), 'day');
    await repo.upsert(days);
    result.dayRows += days.length;
  }
  return result;
}
