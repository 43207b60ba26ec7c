import type { UsageGranularity, UsageRollup, UsageRollupRepository } from '@synapse/gateway/persistence';
import { rollupMinutes } from './aggregate-usage';
import { BUCKET_MS, bucketStart } from './buckets';

/** Log rows summed at once: ten whole minutes. */
const SOURCE_CHUNK_MS = 10 * BUCKET_MS.minute;

/** What one rollup over a range did. */
export interface RollupRangeResult {
  /** Request-log rows rolled up (summed by the store: the job reads their groups). */
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
 * replicas at once) gives the same rows. The store sums log rows ten minutes at a time (whole
 * minutes) into groups, so that the job reads and keeps a few rows a minute, not one per call.
 */
export async function rollupRange(repo: UsageRollupRepository, from: Date, to: Date): Promise<RollupRangeResult> {
  const result: RollupRangeResult = { sourceRows: 0, minuteRows: 0, hourRows: 0, dayRows: 0 };
  const start = bucketStart(from.getTime(), 'minute');
  const end = to.getTime();
  if (start >= end) return result;

  for (let chunk = start; chunk < end; chunk = Math.min(end, chunk + SOURCE_CHUNK_MS)) {
    const next = Math.min(end, chunk + SOURCE_CHUNK_MS);
    const groups = await repo.sourceGroups(new Date(chunk), new Date(next));
    for (const group of groups) result.sourceRows += group.requests;
    const minutes = rollupMinutes(groups);
    await repo.upsert(minutes);
    result.minuteRows += minutes.length;
  }

  // Each hour from its minute rows, then each day from its hour rows, summed by the store: memory
  // follows the cardinality (keys × models) of one bucket, not the range.
  for (let hour = bucketStart(start, 'hour'); hour < end; hour += BUCKET_MS.hour) {
    const hours = await coarser(repo, 'minute', 'hour', hour);
    await repo.upsert(hours);
    result.hourRows += hours.length;
  }
  for (let day = bucketStart(start, 'day'); day < end; day += BUCKET_MS.day) {
    const days = await coarser(repo, 'hour', 'day', day);
    await repo.upsert(days);
    result.dayRows += days.length;
  }
  return result;
}

/** The rows of one `into` bucket (an hour, a day), each the sum of its `from` rows of the same cell. */
async function coarser(
  repo: UsageRollupRepository,
  from: UsageGranularity,
  into: 'hour' | 'day',
  start: number,
): Promise<UsageRollup[]> {
  const cells = await repo.sumBetween(from, new Date(start), new Date(start + BUCKET_MS[into]));
  return cells.map((cell) => ({ ...cell, granularity: into, bucketStart: new Date(start) }));
}
