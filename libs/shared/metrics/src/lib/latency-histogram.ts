/**
 * Upper bounds, in milliseconds, of the latency buckets that live windows, rollups and Prometheus
 * share: fine below a second (proxy overhead, embeddings), coarse up to ten minutes (long
 * generations). A value above the last bound falls in one more, open-ended bucket.
 */
export const LATENCY_BUCKETS_MS = [
  5, 10, 25, 50, 100, 250, 500, 1_000, 2_000, 3_000, 5_000, 7_500, 10_000, 15_000, 20_000, 30_000, 45_000, 60_000,
  90_000, 120_000, 180_000, 300_000, 600_000,
] as const;

/** Buckets a histogram has: one per bound and the open-ended one. */
export const LATENCY_BUCKET_COUNT = LATENCY_BUCKETS_MS.length + 1;

/** Counts per bucket, index-aligned with `LATENCY_BUCKETS_MS` (plus the open-ended last one). */
export type BucketCounts = number[];

export function emptyBuckets(): BucketCounts {
  return new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
}

/** The bucket a latency falls in: the first whose upper bound it does not exceed. */
export function bucketIndex(ms: number): number {
  let low = 0;
  let high: number = LATENCY_BUCKETS_MS.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (ms <= LATENCY_BUCKETS_MS[mid]) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** Adds `from` into `into`, bucket by bucket (histograms of one kind merge by addition). */
export function addBuckets(into: BucketCounts, from: readonly number[]): BucketCounts {
  for (let i = 0; i < LATENCY_BUCKET_COUNT; i++) into[i] += from[i] ?? 0;
  return into;
}

/**
 * The q-quantile (0 < q ≤ 1) of a histogram, interpolated linearly within its bucket, as
 * Prometheus' histogram_quantile does; null for an empty histogram. A quantile in the open-ended
 * bucket is reported as the last bound: the histogram cannot tell more.
 */
export function quantile(counts: readonly number[], q: number): number | null {
  let total = 0;
  for (const count of counts) total += count;
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i];
    if (count === 0 || seen + count < rank) {
      seen += count;
      continue;
    }
    if (i >= LATENCY_BUCKETS_MS.length) return LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1];
    const lower = i === 0 ? 0 : LATENCY_BUCKETS_MS[i - 1];
    const upper = LATENCY_BUCKETS_MS[i];
    return lower + ((upper - lower) * (rank - seen)) / count;
  }
  return LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1];
}

/** A compact text form for storage: `index:count` pairs of the non-empty buckets (`"3:10,7:2"`). */
export function encodeBuckets(counts: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) parts.push(`${i}:${counts[i]}`);
  return parts.join(',');
}

/** Reads `encodeBuckets` text; unknown or malformed pairs are ignored. */
export function decodeBuckets(text: string | null | undefined): BucketCounts {
  const counts = emptyBuckets();
  if (!text) return counts;
  for (const pair of text.split(',')) {
    const [index, count] = pair.split(':').map(Number);
    if (Number.isInteger(index) && index >= 0 && index < LATENCY_BUCKET_COUNT && count > 0) counts[index] += count;
  }
  return counts;
}
