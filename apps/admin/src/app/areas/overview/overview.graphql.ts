import { gql } from 'apollo-angular';
import type { Granularity } from '../../core/usage-range';

export interface UsageRange {
  from: string;
  to: string;
}

export interface OverviewPoint {
  bucketStart: string;
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyP99Ms: number | null;
  ttftAvgMs: number | null;
}

export const OVERVIEW_SERIES = gql<{ usageSeries: OverviewPoint[] }, { range: UsageRange; granularity: Granularity }>`
  query OverviewSeries($range: UsageRangeInput!, $granularity: UsageGranularity!) {
    usageSeries(range: $range, granularity: $granularity, groupBy: NONE) {
      bucketStart
      requests
      errors
      promptTokens
      completionTokens
      totalTokens
      costUsd
      latencyP50Ms
      latencyP95Ms
      latencyP99Ms
      ttftAvgMs
    }
  }
`;

export type TopBy = 'MODEL' | 'KEY' | 'USER' | 'CHANNEL';

export interface TopEntry {
  group: string;
  requests: number;
  errors: number;
  costUsd: number;
}

export const OVERVIEW_TOP = gql<{ usageTop: TopEntry[] }, { range: UsageRange; by: TopBy }>`
  query OverviewTop($range: UsageRangeInput!, $by: UsageGroupBy!) {
    usageTop(range: $range, by: $by, metric: REQUESTS, limit: 5) {
      group
      requests
      errors
      costUsd
    }
  }
`;

export type LiveGroupBy = 'MODEL' | 'USER';

export interface LiveRow {
  value: string;
  requests: number;
  errors: number;
  latencyP95Ms: number | null;
  ttftP95Ms: number | null;
  inFlight: number;
}

export const OVERVIEW_LIVE = gql<{ liveMetrics: { at: string; rows: LiveRow[] } }, { groupBy: LiveGroupBy }>`
  subscription OverviewLive($groupBy: LiveMetricsGroupBy!) {
    liveMetrics(window: ONE_MINUTE, groupBy: $groupBy) {
      at
      rows {
        value
        requests
        errors
        latencyP95Ms
        ttftP95Ms
        inFlight
      }
    }
  }
`;
