import { LATENCY_BUCKET_COUNT, bucketIndex, decodeBuckets, encodeBuckets, quantile } from './latency-histogram';

/** What live metrics are grouped by. */
export const LIVE_DIMENSIONS = ['model', 'channel', 'route', 'key', 'user', 'team'] as const;
export type LiveDimension = (typeof LIVE_DIMENSIONS)[number];

/** HTTP 499: the caller hung up. Its choice, not a failure of the gateway or the upstream. */
export const CLIENT_CLOSED_STATUS = 499;

/**
 * One finished call as live metrics read it. The request log entry has these fields, so the proxy
 * hands its entry over as it is (no copy per call).
 */
export interface LiveSample {
  requestedModel: string | null;
  channelId: string | null;
  routeName: string | null;
  keyId: string | null;
  userId: string | null;
  teamId?: string | null;
  status: number;
  latencyMs: number;
  /** Time to the first streamed byte; null for calls that were not streamed. */
  ttftMs: number | null;
  completionTokens: number | null;
}

/** Counts of one group (a model, a key, …) over some time: they merge by addition. */
export interface LiveAggregate {
  count: number;
  /** Answers with status 400 or above, except 499 (the caller hung up). */
  errors: number;
  /** Latency histogram, index-aligned with LATENCY_BUCKETS_MS. */
  latency: number[];
  /** Time-to-first-token histogram of streamed calls. */
  ttft: number[];
  /** Output tokens of successful calls that reported some, and the time spent generating them. */
  outputTokens: number;
  generationMs: number;
}

export function emptyAggregate(): LiveAggregate {
  return {
    count: 0,
    errors: 0,
    latency: new Array<number>(LATENCY_BUCKET_COUNT).fill(0),
    ttft: new Array<number>(LATENCY_BUCKET_COUNT).fill(0),
    outputTokens: 0,
    generationMs: 0,
  };
}

export function isError(status: number): boolean {
  return status >= 400 && status !== CLIENT_CLOSED_STATUS;
}

/** A call reduced to what an aggregate adds up: computed once per call, added to each of its groups. */
export interface SampleCounts {
  error: boolean;
  latencyBucket: number;
  /** -1 when the call was not streamed. */
  ttftBucket: number;
  outputTokens: number;
  generationMs: number;
}

/** Fills `into` (reused: no allocation per call) with what `sample` adds to an aggregate. */
export function countSample(sample: LiveSample, into: SampleCounts): SampleCounts {
  into.error = isError(sample.status);
  into.latencyBucket = bucketIndex(sample.latencyMs);
  into.ttftBucket = sample.ttftMs === null ? -1 : bucketIndex(sample.ttftMs);
  const tokens = sample.completionTokens;
  const counted = !!tokens && sample.status < 400;
  into.outputTokens = counted ? (tokens as number) : 0;
  // Generation time: from the first token when streamed; a call that answered at once counts 1 ms.
  into.generationMs = counted ? Math.max(1, sample.latencyMs - (sample.ttftMs ?? 0)) : 0;
  return into;
}

/** Adds one call's counts: a few integer operations. */
export function addCounts(into: LiveAggregate, counts: SampleCounts): void {
  into.count++;
  if (counts.error) into.errors++;
  into.latency[counts.latencyBucket]++;
  if (counts.ttftBucket >= 0) into.ttft[counts.ttftBucket]++;
  into.outputTokens += counts.outputTokens;
  into.generationMs += counts.generationMs;
}

/** Adds one call. */
export function addSample(into: LiveAggregate, sample: LiveSample): void {
  addCounts(
    into,
    countSample(sample, { error: false, latencyBucket: 0, ttftBucket: -1, outputTokens: 0, generationMs: 0 }),
  );
}

export function mergeAggregate(into: LiveAggregate, from: LiveAggregate): LiveAggregate {
  into.count += from.count;
  into.errors += from.errors;
  for (let i = 0; i < LATENCY_BUCKET_COUNT; i++) {
    into.latency[i] += from.latency[i] ?? 0;
    into.ttft[i] += from.ttft[i] ?? 0;
  }
  into.outputTokens += from.outputTokens;
  into.generationMs += from.generationMs;
  return into;
}

/** A compact text form, for sharing between replicas: `count;errors;tokens;ms;latency;ttft`. */
export function encodeAggregate(aggregate: LiveAggregate): string {
  const { count, errors, outputTokens, generationMs, latency, ttft } = aggregate;
  return `${count};${errors};${outputTokens};${generationMs};${encodeBuckets(latency)};${encodeBuckets(ttft)}`;
}

/** Reads `encodeAggregate` text; null when it is not that. */
export function decodeAggregate(text: string): LiveAggregate | null {
  const parts = text.split(';');
  if (parts.length !== 6) return null;
  const [count, errors, outputTokens, generationMs] = parts.slice(0, 4).map(Number);
  if (![count, errors, outputTokens, generationMs].every((n) => Number.isFinite(n) && n >= 0)) return null;
  return {
    count,
    errors,
    outputTokens,
    generationMs,
    latency: decodeBuckets(parts[4]),
    ttft: decodeBuckets(parts[5]),
  };
}

/** The figures operators read for one group. */
export interface LiveStats {
  requests: number;
  errors: number;
  /** errors / requests, 0 when there were none. */
  errorRate: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyP99Ms: number | null;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  ttftP99Ms: number | null;
  /** Output tokens per second of generation, over the successful calls that reported tokens. */
  outputTokensPerSecond: number | null;
}

export function statsOf(aggregate: LiveAggregate): LiveStats {
  const { count, errors, latency, ttft, outputTokens, generationMs } = aggregate;
  return {
    requests: count,
    errors,
    errorRate: count === 0 ? 0 : errors / count,
    latencyP50Ms: quantile(latency, 0.5),
    latencyP95Ms: quantile(latency, 0.95),
    latencyP99Ms: quantile(latency, 0.99),
    ttftP50Ms: quantile(ttft, 0.5),
    ttftP95Ms: quantile(ttft, 0.95),
    ttftP99Ms: quantile(ttft, 0.99),
    outputTokensPerSecond: generationMs === 0 ? null : (outputTokens * 1000) / generationMs,
  };
}
