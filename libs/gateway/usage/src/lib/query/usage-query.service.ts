import { Injectable } from '@nestjs/common';
import {
  addUsageTotals,
  UsageRollupRepository,
  type UsageGranularity,
  type UsageGroupTotals,
} from '@synapse/gateway/persistence';
import {
  checkRange,
  checkSeriesRange,
  coverRange,
  planUsageQuery,
  type UsageFilter,
  type UsageGroupBy,
  type UsageMetric,
  type UsageRange,
  type UsageReader,
} from './usage-query';
import { bucketStart } from '../rollup/buckets';
import { UsageQueryError } from './usage-query-error';
import { usageStats, type UsageStats } from './usage-stats';

export interface UsageSeriesRequest {
  range: UsageRange;
  granularity: UsageGranularity;
  groupBy: UsageGroupBy;
  filter: UsageFilter;
}

export interface UsageTopRequest {
  range: UsageRange;
  by: UsageGroupBy;
  metric: UsageMetric;
  limit: number;
  filter: UsageFilter;
}

export interface UsagePoint extends UsageStats {
  bucketStart: Date;
  /** The key, user, team, channel id or model of the group; null when not grouped. */
  group: string | null;
}

export interface UsageTopEntry extends UsageStats {
  group: string;
}

export const MAX_TOP_LIMIT = 100;

/** Time series and top-N lists of usage, read from the rollups only (never the request log). */
@Injectable()
export class UsageQueryService {
  constructor(private readonly rollups: UsageRollupRepository) {}

  /** Buckets without traffic are left out; points come oldest first, then by group. */
  async series(reader: UsageReader, request: UsageSeriesRequest): Promise<UsagePoint[]> {
    checkSeriesRange(request.range, request.granularity);
    // The bucket that holds `from` counts whole, as does every bucket that starts before `to`.
    const range = {
      from: new Date(bucketStart(request.range.from.getTime(), request.granularity)),
      to: request.range.to,
    };
    const query = planUsageQuery(reader, request.filter, request.groupBy, request.granularity, range);
    const points = await this.rollups.series(query);
    return points.map(({ bucketStart, group, ...totals }) => ({ bucketStart, group, ...usageStats(totals) }));
  }

  /** The groups with the most of `metric` over the range, summed from day, hour and minute rows. */
  async top(reader: UsageReader, request: UsageTopRequest): Promise<UsageTopEntry[]> {
    checkRange(request.range);
    if (request.by === 'none') throw new UsageQueryError('BAD_USER_INPUT', 'by: KEY, USER, TEAM, CHANNEL or MODEL.');
    if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > MAX_TOP_LIMIT) {
      throw new UsageQueryError('BAD_USER_INPUT', `limit: between 1 and ${MAX_TOP_LIMIT}.`);
    }
    const segments = coverRange(request.range.from.getTime(), request.range.to.getTime());
    const merged = new Map<string, UsageGroupTotals>();
    for (const segment of segments) {
      const range = { from: new Date(segment.from), to: new Date(segment.to) };
      const query = planUsageQuery(reader, request.filter, request.by, segment.granularity, range);
      for (const totals of await this.rollups.totals(query)) mergeInto(merged, totals);
    }
    return [...merged.values()]
      .map(({ group, ...totals }) => ({ group: group ?? '', ...usageStats(totals) }))
      .sort((a, b) => metricOf(b, request.metric) - metricOf(a, request.metric) || (a.group < b.group ? -1 : 1))
      .slice(0, request.limit);
  }
}

function mergeInto(merged: Map<string, UsageGroupTotals>, totals: UsageGroupTotals): void {
  const key = totals.group ?? '';
  const into = merged.get(key);
  if (!into) {
    merged.set(key, { ...totals });
    return;
  }
  addUsageTotals(into, totals);
}

function metricOf(stats: UsageStats, metric: UsageMetric): number {
  switch (metric) {
    case 'cost':
      return stats.costUsd;
    case 'tokens':
      return stats.totalTokens;
    case 'errors':
      return stats.errors;
    default:
      return stats.requests;
  }
}
