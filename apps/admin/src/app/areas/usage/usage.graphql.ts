import { gql } from 'apollo-angular';
import type { Granularity } from '../../core/usage-range';

export type UsageGroupBy = 'NONE' | 'KEY' | 'USER' | 'TEAM' | 'CHANNEL' | 'MODEL';
export type UsageMetric = 'REQUESTS' | 'COST' | 'TOKENS' | 'ERRORS';

export interface UsageFilter {
  keyId?: string;
  userId?: string;
  teamId?: string;
  channelId?: string;
  model?: string;
}

export interface UsageRange {
  from: string;
  to: string;
}

export interface UsagePoint {
  bucketStart: string;
  group: string | null;
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: number;
  latencyP95Ms: number | null;
}

export interface UsageTopEntry {
  group: string;
  requests: number;
  errors: number;
  totalTokens: number;
  costUsd: number;
  latencyP95Ms: number | null;
}

export interface UsageSeriesVariables {
  range: UsageRange;
  granularity: Granularity;
  groupBy: UsageGroupBy;
  filter: UsageFilter | null;
}

export const USAGE_SERIES = gql<{ usageSeries: UsagePoint[] }, UsageSeriesVariables>`
  query UsageSeries(
    $range: UsageRangeInput!
    $granularity: UsageGranularity!
    $groupBy: UsageGroupBy!
    $filter: UsageFilterInput
  ) {
    usageSeries(range: $range, granularity: $granularity, groupBy: $groupBy, filter: $filter) {
      bucketStart
      group
      requests
      errors
      promptTokens
      completionTokens
      totalTokens
      costUsd
      latencyP95Ms
    }
  }
`;

export interface UsageTopVariables {
  range: UsageRange;
  by: Exclude<UsageGroupBy, 'NONE'>;
  metric: UsageMetric;
  limit: number;
  filter: UsageFilter | null;
}

export const USAGE_TOP = gql<{ usageTop: UsageTopEntry[] }, UsageTopVariables>`
  query UsageTop(
    $range: UsageRangeInput!
    $by: UsageGroupBy!
    $metric: UsageMetric!
    $limit: Int!
    $filter: UsageFilterInput
  ) {
    usageTop(range: $range, by: $by, metric: $metric, limit: $limit, filter: $filter) {
      group
      requests
      errors
      totalTokens
      costUsd
      latencyP95Ms
    }
  }
`;
