import { addBuckets, decodeBuckets, encodeBuckets } from '@synapse/metrics';
import type { UsageTotals } from './models/usage-rollup';

/** The fields of UsageTotals that add up (all but the histogram, which merges bucket by bucket). */
export type UsageSums = Omit<UsageTotals, 'latencyBuckets'>;

export const USAGE_SUM_FIELDS = [
  'requests',
  'errors',
  'promptTokens',
  'completionTokens',
  'cachedTokens',
  'costUsd',
  'latencySumMs',
  'ttftSumMs',
  'ttftCount',
  'generationMs',
  'generationTokens',
] as const satisfies readonly (keyof UsageSums)[];

export function zeroUsageSums(): UsageSums {
  const sums = {} as UsageSums;
  for (const field of USAGE_SUM_FIELDS) sums[field] = 0;
  return sums;
}

/** Adds `from`'s sums into `into`; histograms are the caller's. */
export function addUsageSums(into: UsageSums, from: UsageSums): void {
  for (const field of USAGE_SUM_FIELDS) into[field] += from[field];
}

/** Adds `from` into `into`: the sums, and the encoded latency histograms bucket by bucket. */
export function addUsageTotals(into: UsageTotals, from: UsageTotals): void {
  addUsageSums(into, from);
  into.latencyBuckets = encodeBuckets(
    addBuckets(decodeBuckets(into.latencyBuckets), decodeBuckets(from.latencyBuckets)),
  );
}
