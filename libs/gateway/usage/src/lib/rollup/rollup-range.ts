import type {
  UsageGranularity,
  UsageRollup,
  UsageRollupRepository,
  UsageSourceGroup,
} from '@synapse/gateway/persistence';
import { addRollups, rollupMinutes } from './aggregate-usage';
import { BUCKET_MS, bucketCeil, bucketStart } from './buckets';

/**
 * Log rows summed at once: one minute. The store's groups of a minute of many keys arrive in one
 * message from the SQLite thread, and reading a message is one block of the event loop (~1.5 µs a
 * group): ten minutes of 2,000 keys' calls held it for ~90 ms.
 */
const SOURCE_CHUNK_MS = BUCKET_MS.minute;

/** What one rollup over a range did. */
export interface RollupRangeResult {
  /** Minutes summed from the request log (the others of the range were up to date). */
  minutesSummed: number;
  /** Minutes brought up to date by adding the sums the log's writer kept of its new rows. */
  minutesAdded: number;
  /** Request-log rows rolled up (summed by the store: the job reads their groups). */
  sourceRows: number;
  /** Rollup rows written, per granularity. */
  minuteRows: number;
  hourRows: number;
  dayRows: number;
}

/** A span of minutes to sum from the log: [from, to) in epoch milliseconds. */
type Span = readonly [from: number, to: number];

/**
 * Recomputes the rollups of [from, to) from the request log: minutes from log rows, then every
 * hour touching the range from its minute rows, then every day from its hour rows. Each bucket is
 * computed whole and written with an upsert that replaces, so running it again (or on two
 * replicas at once) gives the same rows. The store sums log rows ten minutes at a time (whole
 * minutes) into groups, so that the job reads and keeps a few rows a minute, not one per call.
 */
export function rollupRange(repo: UsageRollupRepository, from: Date, to: Date): Promise<RollupRangeResult> {
  const start = bucketStart(from.getTime(), 'minute');
  const end = to.getTime();
  return rollupSpans(repo, start < end ? [[start, end]] : []);
}

/**
 * Brings the rollups of the whole minutes of [from, to) up to date, working only on the minutes
 * whose calls in the log differ in number from their minute rollups (rows that arrived late, the
 * minute still running, minutes never rolled up); the hours and days that hold them follow. Log
 * rows are never changed once written, so a minute whose count matches is already exact.
 *
 * A changed minute is brought up to date one of two ways. Where the store kept the sums of the
 * rows written since the last count (SQLite's log writer does, `countLogged`) and the minute's
 * rollup plus those rows make exactly the log's count, the sums are added to its rows: nothing
 * else was written to it, and the rollup holds every row before them (the count says so, since
 * log rows are only ever appended). Otherwise (a restart lost the sums, another process wrote,
 * a run failed after the count) the minute is summed again from the log. Counting a minute reads
 * one index of the log; summing it reads every row. `onlyWritten` counts only the minutes the
 * kept sums fall in, where the store keeps them (see `UsageRollupRepository.countLogged`).
 */
export async function rollupChanged(
  repo: UsageRollupRepository,
  from: Date,
  to: Date,
  options: { onlyWritten?: boolean } = {},
): Promise<RollupRangeResult> {
  const start = bucketStart(from.getTime(), 'minute');
  const end = bucketCeil(to.getTime(), 'minute');
  if (start >= end) return rollupSpans(repo, []);
  const range = { from: new Date(start), to: new Date(end) };
  const [logged, rolled] = await Promise.all([
    repo.countLogged(range.from, range.to, options.onlyWritten),
    repo.series({ granularity: 'minute', dimension: 'all', ...range, groupBy: 'none' }),
  ]);
  const rolledUp = new Map(rolled.map((point) => [point.bucketStart.getTime(), point.requests]));
  const written = writtenByMinute(logged.writtenSince ?? []);
  const summed: number[] = [];
  const added: WrittenMinute[] = [];
  for (const { minute, requests } of logged.perMinute) {
    const before = rolledUp.get(minute.getTime()) ?? 0;
    if (before === requests) continue;
    const since = written.get(minute.getTime());
    if (since && before + since.requests === requests) added.push(since);
    else summed.push(minute.getTime());
  }
  return rollupSpans(repo, minuteSpans(summed), added);
}

/** The groups a minute was written since the last count, and how many calls they hold. */
interface WrittenMinute {
  minute: Date;
  groups: UsageSourceGroup[];
  requests: number;
}

function writtenByMinute(groups: readonly UsageSourceGroup[]): Map<number, WrittenMinute> {
  const byMinute = new Map<number, WrittenMinute>();
  for (const group of groups) {
    const key = group.minute.getTime();
    let minute = byMinute.get(key);
    if (!minute) byMinute.set(key, (minute = { minute: group.minute, groups: [], requests: 0 }));
    minute.groups.push(group);
    minute.requests += group.requests;
  }
  return byMinute;
}

/** Sorted, consecutive minutes joined into spans: [10:00, 10:01, 10:05] → [10:00, 10:02), [10:05, 10:06). */
function minuteSpans(minutes: readonly number[]): Span[] {
  const spans: [number, number][] = [];
  for (const minute of [...minutes].sort((a, b) => a - b)) {
    const last = spans.at(-1);
    if (last && last[1] === minute) last[1] = minute + BUCKET_MS.minute;
    else spans.push([minute, minute + BUCKET_MS.minute]);
  }
  return spans;
}

/**
 * Sums the minutes of `spans` from the log and adds each of `added` (one minute's new groups) to
 * its minute's rows, then sums the hours and days that hold them from those.
 */
async function rollupSpans(
  repo: UsageRollupRepository,
  spans: readonly Span[],
  added: readonly WrittenMinute[] = [],
): Promise<RollupRangeResult> {
  const result: RollupRangeResult = {
    minutesSummed: 0,
    minutesAdded: 0,
    sourceRows: 0,
    minuteRows: 0,
    hourRows: 0,
    dayRows: 0,
  };
  const hours = new Set<number>();
  for (const [start, end] of spans) {
    result.minutesSummed += Math.ceil((end - start) / BUCKET_MS.minute);
    for (let chunk = start; chunk < end; chunk = Math.min(end, chunk + SOURCE_CHUNK_MS)) {
      const next = Math.min(end, chunk + SOURCE_CHUNK_MS);
      const groups = await repo.sourceGroups(new Date(chunk), new Date(next));
      for (const group of groups) result.sourceRows += group.requests;
      const minutes = await rollupMinutes(groups);
      await repo.upsert(minutes);
      result.minuteRows += minutes.length;
    }
    for (let hour = bucketStart(start, 'hour'); hour < end; hour += BUCKET_MS.hour) hours.add(hour);
  }
  for (const { minute, groups, requests } of added) {
    const before = await repo.rowsBetween('minute', minute, new Date(minute.getTime() + BUCKET_MS.minute));
    const merged = await addRollups(before, await rollupMinutes(groups));
    await repo.upsert(merged);
    result.minutesAdded++;
    result.sourceRows += requests;
    result.minuteRows += merged.length;
    hours.add(bucketStart(minute.getTime(), 'hour'));
  }

  // Each hour from its minute rows, then each day from its hour rows, summed by the store: memory
  // follows the cardinality (keys × models) of one bucket, not the range.
  const days = new Set<number>();
  for (const hour of [...hours].sort((a, b) => a - b)) {
    const rows = await coarser(repo, 'minute', 'hour', hour);
    await repo.upsert(rows);
    result.hourRows += rows.length;
    days.add(bucketStart(hour, 'day'));
  }
  for (const day of [...days].sort((a, b) => a - b)) {
    const rows = await coarser(repo, 'hour', 'day', day);
    await repo.upsert(rows);
    result.dayRows += rows.length;
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
