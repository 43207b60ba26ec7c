import type { UsageDimension, UsageGranularity, UsageRollupQuery } from '@synapse/gateway/persistence';
import { BUCKET_MS, bucketStart } from '../rollup/buckets';
import { UsageQueryError } from './usage-query-error';

export type UsageGroupBy = 'none' | 'key' | 'user' | 'team' | 'channel' | 'model';
export type UsageMetric = 'requests' | 'cost' | 'tokens' | 'errors';

export interface UsageFilter {
  keyId?: string | null;
  userId?: string | null;
  teamId?: string | null;
  channelId?: string | null;
  model?: string | null;
}

export interface UsageRange {
  from: Date;
  to: Date;
}

/** Who reads: everything (`Read Usage` without conditions), or one member's own traffic. */
export type UsageReader = { scope: 'all' } | { scope: 'user'; userId: string };

/** Points a series may have; a longer range needs a coarser granularity. */
export const MAX_SERIES_POINTS = 1500;
/** Top-N ranges are summed from day, hour and minute rows: any length works, within reason. */
export const MAX_TOP_RANGE_DAYS = 3660;

const FILTER_DIMENSIONS = [
  ['keyId', 'key'],
  ['userId', 'user'],
  ['teamId', 'team'],
  ['channelId', 'channel'],
] as const satisfies readonly (readonly [keyof UsageFilter, UsageDimension])[];

/** Checks the range of a series against its granularity. */
export function checkSeriesRange(range: UsageRange, granularity: UsageGranularity): void {
  checkRange(range);
  const points = Math.ceil(
    (range.to.getTime() - bucketStart(range.from.getTime(), granularity)) / BUCKET_MS[granularity],
  );
  if (points > MAX_SERIES_POINTS) {
    throw new UsageQueryError(
      'BAD_USER_INPUT',
      `range: ${points} ${granularity} buckets is more than ${MAX_SERIES_POINTS}; choose a coarser granularity or a shorter range.`,
    );
  }
}

export function checkRange({ from, to }: UsageRange): void {
  if (!(from instanceof Date) || Number.isNaN(from.getTime()) || !(to instanceof Date) || Number.isNaN(to.getTime())) {
    throw new UsageQueryError('BAD_USER_INPUT', 'range: from and to must be ISO 8601 date-times.');
  }
  if (from.getTime() >= to.getTime()) {
    throw new UsageQueryError(
      'BAD_USER_INPUT',
      `range: from (${from.toISOString()}) must be before to (${to.toISOString()}).`,
    );
  }
  if (to.getTime() - from.getTime() > MAX_TOP_RANGE_DAYS * BUCKET_MS.day) {
    throw new UsageQueryError('BAD_USER_INPUT', `range: at most ${MAX_TOP_RANGE_DAYS} days.`);
  }
}

/**
 * Which rollup rows answer a query. Rows are kept per one dimension (everything, a key, a user, a
 * team or a channel) and per model, so a query may filter on at most one of keyId, userId, teamId
 * and channelId, group by that same dimension, by model or by nothing, and filter on a model.
 * A member's query is always read from the rows of their own user.
 */
export function planUsageQuery(
  reader: UsageReader,
  filter: UsageFilter,
  groupBy: UsageGroupBy,
  granularity: UsageGranularity,
  range: UsageRange,
): UsageRollupQuery {
  const model = filter.model ?? undefined;
  const base = { granularity, from: range.from, to: range.to, ...(model !== undefined && { model }) };
  if (reader.scope === 'user') {
    if (filter.userId && filter.userId !== reader.userId) {
      throw new UsageQueryError('FORBIDDEN', 'You may read only your own usage: leave userId out or give your own id.');
    }
    const other = FILTER_DIMENSIONS.find(([field]) => field !== 'userId' && filter[field]);
    if (other) {
      throw new UsageQueryError(
        'FORBIDDEN',
        `You may read only your own usage, filtered by model: ${other[0]} is not allowed.`,
      );
    }
    if (groupBy !== 'none' && groupBy !== 'model' && groupBy !== 'user') {
      throw new UsageQueryError(
        'FORBIDDEN',
        `You may read only your own usage, grouped by NONE, USER or MODEL: grouping by ${groupBy.toUpperCase()} is not allowed.`,
      );
    }
    return { ...base, dimension: 'user', dimensionValue: reader.userId, groupBy: groupOf(groupBy, 'user') };
  }

  const filters = FILTER_DIMENSIONS.filter(([field]) => filter[field]);
  if (filters.length > 1) {
    throw new UsageQueryError(
      'BAD_USER_INPUT',
      `filter: at most one of keyId, userId, teamId and channelId (with model); got ${filters.map(([f]) => f).join(' and ')}.`,
    );
  }
  if (filters.length === 1) {
    const [[field, dimension]] = filters;
    if (groupBy !== 'none' && groupBy !== 'model' && groupBy !== dimension) {
      throw new UsageQueryError(
        'BAD_USER_INPUT',
        `groupBy ${groupBy.toUpperCase()} cannot be combined with filter ${field}: usage is rolled up per one dimension; group by NONE, MODEL or ${dimension.toUpperCase()}.`,
      );
    }
    return { ...base, dimension, dimensionValue: filter[field] as string, groupBy: groupOf(groupBy, dimension) };
  }
  if (groupBy === 'none' || groupBy === 'model') {
    return { ...base, dimension: 'all', dimensionValue: '', groupBy: groupBy === 'model' ? 'model' : 'none' };
  }
  return { ...base, dimension: groupBy, groupBy: 'value' };
}

function groupOf(groupBy: UsageGroupBy, dimension: UsageDimension): UsageRollupQuery['groupBy'] {
  if (groupBy === 'model') return 'model';
  return groupBy === dimension ? 'value' : 'none';
}

/** Splits [from, to) into whole days, then whole hours, then minutes at the edges. */
export function coverRange(
  from: number,
  to: number,
  levels: readonly UsageGranularity[] = ['day', 'hour', 'minute'],
): { granularity: UsageGranularity; from: number; to: number }[] {
  if (from >= to) return [];
  const [granularity, ...finer] = levels;
  if (finer.length === 0) return [{ granularity, from: bucketStart(from, granularity), to }];
  const size = BUCKET_MS[granularity];
  const first = Math.ceil(from / size) * size;
  const last = Math.floor(to / size) * size;
  if (first >= last) return coverRange(from, to, finer);
  return [...coverRange(from, first, finer), { granularity, from: first, to: last }, ...coverRange(last, to, finer)];
}
