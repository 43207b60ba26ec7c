import type { TimeSeries } from '../../core/charts/chart-options';
import type { UsageMetric, UsagePoint } from './usage.graphql';

export const MAX_LINES = 8;

export function metricOf(
  point: { requests: number; errors: number; totalTokens: number; costUsd: number },
  metric: UsageMetric,
): number {
  switch (metric) {
    case 'COST':
      return point.costUsd;
    case 'TOKENS':
      return point.totalTokens;
    case 'ERRORS':
      return point.errors;
    default:
      return point.requests;
  }
}

export interface GroupTotals {
  group: string | null;
  requests: number;
  errors: number;
  totalTokens: number;
  costUsd: number;
}

/** The period's totals per group, largest first by the metric. */
export function groupTotals(points: readonly UsagePoint[], metric: UsageMetric): GroupTotals[] {
  const totals = new Map<string | null, GroupTotals>();
  for (const p of points) {
    const t = totals.get(p.group) ?? { group: p.group, requests: 0, errors: 0, totalTokens: 0, costUsd: 0 };
    t.requests += p.requests;
    t.errors += p.errors;
    t.totalTokens += p.totalTokens;
    t.costUsd += p.costUsd;
    totals.set(p.group, t);
  }
  return [...totals.values()].sort((a, b) => metricOf(b, metric) - metricOf(a, metric));
}

/** One line per group (the largest MAX_LINES), the metric per bucket. */
export function seriesLines(
  points: readonly UsagePoint[],
  metric: UsageMetric,
  label: (group: string | null) => string,
): TimeSeries[] {
  const groups = groupTotals(points, metric)
    .slice(0, MAX_LINES)
    .map((t) => t.group);
  return groups.map((group) => ({
    name: label(group),
    points: points
      .filter((p) => p.group === group)
      .map((p) => [Date.parse(p.bucketStart), metricOf(p, metric)] as const),
  }));
}
