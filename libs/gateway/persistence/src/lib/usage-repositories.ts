import type { StoredModelPrice } from './models/model-price';
import type {
  MinuteCount,
  UsageDimension,
  UsageGranularity,
  UsageRollup,
  UsageSourceGroup,
  UsageTotals,
} from './models/usage-rollup';

/** Which rollup rows a dashboard query reads: one dimension (and value), optionally one model, over [from, to). */
export interface UsageRollupQuery {
  granularity: UsageGranularity;
  dimension: UsageDimension;
  /** The id for key/user/team/channel; left out: every value of the dimension. */
  dimensionValue?: string;
  model?: string;
  from: Date;
  to: Date;
  /** What the sums are split by: nothing, the dimension's value, or the model. */
  groupBy: 'none' | 'value' | 'model';
}

/** Sums of rollup rows for one group (and one bucket, in a series). */
export interface UsageGroupTotals extends UsageTotals {
  /** The dimension value or model of the group; null when not grouped. */
  group: string | null;
}

/** Sums of one (dimension, value, model) over a range of rollup rows, histograms merged. */
export interface UsageCellTotals extends UsageTotals {
  dimension: UsageDimension;
  dimensionValue: string;
  model: string;
}

export interface UsageSeriesPoint extends UsageGroupTotals {
  bucketStart: Date;
}

/** The request log's calls per minute, and the groups of what was written since the last count (`countLogged`). */
export interface LoggedCounts {
  perMinute: MinuteCount[];
  writtenSince: UsageSourceGroup[] | null;
}

/**
 * Usage rollups (`usage_rollups`), the request-log rows they are computed from, and the job's
 * shared state (watermark and lease), so that replicas coordinate through the store.
 */
export abstract class UsageRollupRepository {
  /**
   * Writes rows, replacing those with the same key (`ON CONFLICT … DO UPDATE SET col = excluded.col`):
   * a recompute overwrites, never adds, so two replicas writing the same bucket cannot double count.
   */
  abstract upsert(rows: readonly UsageRollup[]): Promise<void>;
  /** The stored rows of one granularity with bucketStart in [from, to). */
  abstract rowsBetween(granularity: UsageGranularity, from: Date, to: Date): Promise<UsageRollup[]>;
  /**
   * The rows of one granularity with bucketStart in [from, to), summed per (dimension, value,
   * model), histograms merged: an hour's rows from its minutes, a day's from its hours. The store
   * sums, so that the job reads one row per combination instead of sixty.
   */
  abstract sumBetween(granularity: UsageGranularity, from: Date, to: Date): Promise<UsageCellTotals[]>;
  /** Sums per bucket (and group), oldest first; histograms merged. */
  abstract series(query: UsageRollupQuery): Promise<UsageSeriesPoint[]>;
  /** Sums per group over the whole range. */
  abstract totals(query: UsageRollupQuery): Promise<UsageGroupTotals[]>;
  /** Deletes up to `limit` rows of a granularity older than `before` (retention); returns how many. */
  abstract deleteOlderThan(granularity: UsageGranularity, before: Date, limit: number): Promise<number>;

  /** The request-log rows created in [from, to), summed by minute and by what rollups keep apart. */
  abstract sourceGroups(from: Date, to: Date): Promise<UsageSourceGroup[]>;
  /**
   * The request-log rows created in [from, to), counted per minute (minutes without rows left
   * out): far cheaper than `sourceGroups`, so that the job sums again only the minutes whose count
   * moved.
   */
  abstract loggedPerMinute(from: Date, to: Date): Promise<MinuteCount[]>;
  /**
   * The calls of [from, to) that lasted LONG_CALL_MS or more, counted per minute (a partial index
   * holds only them): their rows can arrive after their minute was rolled up.
   */
  abstract longCallsPerMinute(from: Date, to: Date): Promise<MinuteCount[]>;
  /**
   * `loggedPerMinute`, and where the store keeps them (SQLite: the log's writer thread), the
   * groups of the rows this process wrote since the previous call, for the minutes of [from, to),
   * taken at the same instant. The first call starts keeping them and answers null, as a store
   * that does not keep them does. `onlyWritten`: where the groups are kept, count only the
   * minutes they fall in (the log has one writer, so no other minute can have changed).
   */
  async countLogged(from: Date, to: Date, _onlyWritten = false): Promise<LoggedCounts> {
    return { perMinute: await this.loggedPerMinute(from, to), writtenSince: null };
  }
  /** When the oldest request-log row was written; null without any. */
  abstract earliestSource(): Promise<Date | null>;

  /** The end of what the job has rolled up; null before its first run. */
  abstract watermark(): Promise<Date | null>;
  /** Moves the watermark forward to `to` (never back). */
  abstract advanceWatermark(to: Date): Promise<void>;
  /**
   * Takes the job's lease for `ttlMs` if it is free, expired, or already `owner`'s: the replica that
   * holds it runs the job, the others skip their turn. True when `owner` holds it now.
   */
  abstract acquireLease(owner: string, now: Date, ttlMs: number): Promise<boolean>;
  abstract releaseLease(owner: string): Promise<void>;
}

export abstract class ModelPriceRepository {
  abstract insert(price: StoredModelPrice): Promise<void>;
  /** The newest entry of every model that is not deleted, by model name. */
  abstract current(): Promise<StoredModelPrice[]>;
  /** Every entry of a model, newest first. */
  abstract history(model: string): Promise<StoredModelPrice[]>;
}
