/** The bucket sizes usage is rolled up in. */
export type UsageGranularity = 'minute' | 'hour' | 'day';

/**
 * What a rollup row is about: everything (`all`, value ''), or one key, user, team or channel. Every
 * row is further split by model, so "per key per model" and "top models of a user" are rows too.
 */
export type UsageDimension = 'all' | 'key' | 'user' | 'team' | 'channel';

/** Sums over the calls of one bucket; they add up across buckets, models and replicas' recomputes. */
export interface UsageTotals {
  requests: number;
  /** Calls answered with a status of 400 or more (the gateway's own refusals included). */
  errors: number;
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens served from the upstream's cache. */
  cachedTokens: number;
  /** The cost logged at call time, summed. */
  costUsd: number;
  latencySumMs: number;
  /** Latency histogram in `@synapse/metrics` `encodeBuckets` text form. */
  latencyBuckets: string;
  ttftSumMs: number;
  /** Calls with a time to first token (streams). */
  ttftCount: number;
  /** Time spent generating after the first token (latency − ttft) of streams with output... */
  generationMs: number;
  /** ...and the completion tokens they produced: tokens/s = generationTokens / generationMs × 1000. */
  generationTokens: number;
}

/** One rollup row: (granularity, dimension, dimensionValue, bucketStart, model) is its key. */
export interface UsageRollup extends UsageTotals {
  granularity: UsageGranularity;
  /** UTC start of the minute, hour or day. */
  bucketStart: Date;
  dimension: UsageDimension;
  /** The key's, user's, team's or channel's id; '' for `all`. */
  dimensionValue: string;
  /** The model the caller asked for (else the upstream's); '' when the call named none. */
  model: string;
}

/**
 * Request-log rows of one minute that agree on everything the rollups keep apart, summed: the
 * rollup job's input. The store sums them, so that the job reads one row per group instead of one
 * per call (a minute of heavy traffic is hundreds of thousands of calls and a handful of groups).
 */
export interface UsageSourceGroup extends Omit<UsageTotals, 'latencyBuckets'> {
  /** UTC start of the minute the calls were logged in. */
  minute: Date;
  keyId: string | null;
  userId: string | null;
  teamId: string | null;
  channelId: string | null;
  /** The model the caller asked for, else the upstream's, else ''. */
  model: string;
  /** The `@synapse/metrics` latency bucket every call of the group falls in (`bucketIndex`). */
  latencyBucket: number;
}

/** How many calls one minute holds: in the request log, or in its minute rollups. */
export interface MinuteCount {
  /** UTC start of the minute. */
  minute: Date;
  requests: number;
}

/** The columns of a request-log row that rollups read (the in-memory store's request log). */
export interface UsageSourceRow {
  createdAt: Date;
  keyId: string | null;
  userId: string | null;
  teamId: string | null;
  channelId: string | null;
  requestedModel: string | null;
  upstreamModel: string | null;
  status: number;
  latencyMs: number;
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  cachedTokens: number | null;
  costUsd: number | null;
}
