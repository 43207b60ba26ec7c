import type { TimeSeries } from '../../core/charts/chart-options';
import type { LiveRow, OverviewPoint } from './overview.graphql';

export interface OverviewTotals {
  requests: number;
  errors: number;
  errorRate: number | null;
  costUsd: number;
  tokens: number;
  /** Requests-weighted mean of the buckets' p95: an approximation over the range. */
  latencyP95Ms: number | null;
}

export function totalsOf(points: readonly OverviewPoint[]): OverviewTotals {
  const requests = sum(points, (p) => p.requests);
  const errors = sum(points, (p) => p.errors);
  const weighted = points.filter((p) => p.latencyP95Ms != null && p.requests > 0);
  const weight = sum(weighted, (p) => p.requests);
  return {
    requests,
    errors,
    errorRate: requests > 0 ? errors / requests : null,
    costUsd: sum(points, (p) => p.costUsd),
    tokens: sum(points, (p) => p.totalTokens),
    latencyP95Ms: weight > 0 ? sum(weighted, (p) => (p.latencyP95Ms as number) * p.requests) / weight : null,
  };
}

export interface LiveTotals {
  requests: number;
  errorRate: number | null;
  latencyP95Ms: number | null;
  ttftP95Ms: number | null;
  inFlight: number;
}

/** One figure for all groups of a live grouping: sums, and the slowest group's p95 (an upper bound). */
export function liveTotalsOf(rows: readonly LiveRow[]): LiveTotals {
  const requests = sum(rows, (r) => r.requests);
  const errors = sum(rows, (r) => r.errors);
  const max = (values: (number | null)[]) => {
    const known = values.filter((v): v is number => v != null);
    return known.length ? Math.max(...known) : null;
  };
  return {
    requests,
    errorRate: requests > 0 ? errors / requests : null,
    latencyP95Ms: max(rows.map((r) => r.latencyP95Ms)),
    ttftP95Ms: max(rows.map((r) => r.ttftP95Ms)),
    inFlight: sum(rows, (r) => r.inFlight),
  };
}

type Names = Record<
  | 'requestsSeries'
  | 'errorsSeries'
  | 'errorRateSeries'
  | 'p50'
  | 'p95'
  | 'p99'
  | 'ttftSeries'
  | 'prompt'
  | 'completion'
  | 'costSeries',
  string
>;

/** The overview's charts' series from the usage points. */
export function overviewCharts(points: readonly OverviewPoint[], names: Names) {
  const at = (p: OverviewPoint) => Date.parse(p.bucketStart);
  const line = (
    name: string,
    value: (p: OverviewPoint) => number | null,
    type?: TimeSeries['type'],
    stack?: string,
  ) => ({
    name,
    type,
    stack,
    points: points.map((p) => [at(p), value(p)] as const),
  });
  return {
    requests: [line(names.requestsSeries, (p) => p.requests), line(names.errorsSeries, (p) => p.errors)],
    errorRate: [line(names.errorRateSeries, (p) => (p.requests > 0 ? p.errors / p.requests : null))],
    latency: [
      line(names.p50, (p) => p.latencyP50Ms),
      line(names.p95, (p) => p.latencyP95Ms),
      line(names.p99, (p) => p.latencyP99Ms),
    ],
    ttft: [line(names.ttftSeries, (p) => p.ttftAvgMs)],
    tokens: [
      line(names.prompt, (p) => p.promptTokens, 'bar', 'tokens'),
      line(names.completion, (p) => p.completionTokens, 'bar', 'tokens'),
    ],
    cost: [line(names.costSeries, (p) => p.costUsd, 'bar')],
  } satisfies Record<string, TimeSeries[]>;
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}
