import { decodeBuckets, quantile } from '@synapse/metrics';
import type { UsageTotals } from '@synapse/gateway/persistence';

/** Sums of a bucket or group with what dashboards draw from them. */
export interface UsageStats extends UsageTotals {
  totalTokens: number;
  latencyAvgMs: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyP99Ms: number | null;
  ttftAvgMs: number | null;
  /** Completion tokens per second of generation (after the first token), over streams. */
  tokensPerSecond: number | null;
}

export function usageStats(totals: UsageTotals): UsageStats {
  const histogram = decodeBuckets(totals.latencyBuckets);
  return {
    ...totals,
    totalTokens: totals.promptTokens + totals.completionTokens,
    latencyAvgMs: totals.requests ? totals.latencySumMs / totals.requests : null,
    latencyP50Ms: quantile(histogram, 0.5),
    latencyP95Ms: quantile(histogram, 0.95),
    latencyP99Ms: quantile(histogram, 0.99),
    ttftAvgMs: totals.ttftCount ? totals.ttftSumMs / totals.ttftCount : null,
    tokensPerSecond: totals.generationMs ? (totals.generationTokens * 1000) / totals.generationMs : null,
  };
}
