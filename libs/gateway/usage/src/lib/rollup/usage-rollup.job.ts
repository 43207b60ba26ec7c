import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { UsageRollupRepository } from '@synapse/gateway/persistence';
import { BUCKET_MS, bucketStart } from './buckets';
import { rollupChanged, type RollupRangeResult } from './rollup-range';

export interface UsageRollupOptions {
  /** How often the job runs (USAGE_ROLLUP_INTERVAL_MS); 0: never on its own. */
  intervalMs: number;
  /** How far behind the watermark each run starts again, for log rows written late (USAGE_ROLLUP_LAG_MS). */
  lagMs: number;
  /** The most one run covers when catching up (the first run over an old log, a long outage). */
  maxSpanMs?: number;
  /**
   * The longest a call can last (UPSTREAM_TOTAL_TIMEOUT_MS, 10 min by default). A call is logged
   * when it ends and stamped with its start, so a long one's row can land that far behind a
   * run's window; runs look for long calls that far back, and LATE_WRITE_MS more.
   */
  longestCallMs?: number;
  /**
   * How far before each run's window the hourly re-check reaches (USAGE_ROLLUP_RECHECK_HOURS, in
   * ms; 24 h by default; 0: never): rows written later than the lag, such as those kept during a
   * store outage or spilled at shutdown, are rolled up within the hour.
   */
  recheckMs?: number;
}

const DEFAULT_LONGEST_CALL_MS = 10 * 60_000;
/** What may pass between a call's end and its row being written (a batch, a slow store). */
const LATE_WRITE_MS = 5 * 60_000;
const DEFAULT_RECHECK_MS = 24 * 3600_000;
/** How often the minutes before the window are counted again (and at a replica's first run). */
export const RECHECK_EVERY_MS = 3600_000;

export const USAGE_ROLLUP_OPTIONS = Symbol('USAGE_ROLLUP_OPTIONS');

const INTERVAL_NAME = 'usage-rollup';
/**
 * Where the store keeps the sums of what it wrote (SQLite), a run counts only the minutes written
 * to; every this many runs, and on the first, it counts its whole window, for rows that reached
 * the log some other way (another process on the file).
 */
const FULL_COUNT_EVERY = 10;

/** What one run covered; null when another replica held the lease or a run was in progress. */
export interface UsageRollupRun extends RollupRangeResult {
  from: Date;
  to: Date;
}

/**
 * Keeps the usage rollups up to date on a schedule. Each run brings [watermark − lag, now) up to
 * date with the request log (`rollupChanged`: only the minutes whose calls changed are summed
 * again) and moves the watermark to the current minute. The replica holding the
 * lease runs; the others skip their turn, and if two ever run together (a lease that expired
 * mid-run) their upserts replace rather than add, so totals stay exact.
 */
@Injectable()
export class UsageRollupJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('UsageRollup');
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private running: Promise<UsageRollupRun | null> | undefined;
  private runs = 0;
  /** Long calls per minute before the window at the last run (epoch ms → count): what changed since is rolled up again. */
  private longCallsSeen = new Map<number, number>();
  /** When this replica last counted the minutes before the window (epoch ms). */
  private lastRecheck = Number.NEGATIVE_INFINITY;

  constructor(
    @Inject(USAGE_ROLLUP_OPTIONS) private readonly options: UsageRollupOptions,
    private readonly rollups: UsageRollupRepository,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.intervalMs <= 0) return;
    const timer = setInterval(
      () => void this.runOnce().catch((error) => this.logger.error(`rollup failed: ${(error as Error).message}`)),
      this.options.intervalMs,
    );
    timer.unref();
    this.scheduler.addInterval(INTERVAL_NAME, timer);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** One run, unless one is already going in this process or another replica holds the lease. */
  runOnce(now = new Date()): Promise<UsageRollupRun | null> {
    if (this.running) return Promise.resolve(null);
    this.running = this.run(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(now: Date): Promise<UsageRollupRun | null> {
    // The lease outlives a slow run by far; a crashed holder loses it when it expires.
    const leaseMs = Math.max(5 * 60_000, 3 * this.options.intervalMs);
    if (!(await this.rollups.acquireLease(this.owner, now, leaseMs))) return null;
    const started = performance.now();
    try {
      const current = bucketStart(now.getTime(), 'minute');
      const watermark = (await this.rollups.watermark()) ?? (await this.rollups.earliestSource()) ?? now;
      const from = bucketStart(Math.min(watermark.getTime(), current) - this.options.lagMs, 'minute');
      const maxSpan = this.options.maxSpanMs ?? BUCKET_MS.day;
      // The current minute is rolled up too (dashboards show it), and again by the next runs.
      const to = Math.min(current + BUCKET_MS.minute, from + maxSpan);
      const onlyWritten = this.runs++ % FULL_COUNT_EVERY !== 0;
      // Minutes before the window first, oldest first: each count hands over the log writer's sums of its minute and older.
      const rechecked = await this.recheck(from, now);
      const late = await this.lateLongCalls(from);
      const result = await rollupChanged(this.rollups, new Date(from), new Date(to), { onlyWritten });
      addResults(result, rechecked);
      addResults(result, late);
      await this.rollups.advanceWatermark(new Date(Math.min(current, to)));
      this.logger.debug(
        `rolled up ${result.sourceRows} calls in ${Math.round(performance.now() - started)} ms: ` +
          `${result.minutesSummed} minutes summed from the log, ${result.minutesAdded} added to`,
      );
      return { from: new Date(from), to: new Date(to), ...result };
    } finally {
      await this.rollups.releaseLease(this.owner);
    }
  }

  /**
   * Once an hour (and at the first run), counts every minute of the `recheckMs` before `from`
   * against its rollup and sums again those that differ: rows written later than the lag (kept in
   * memory or spilled to disk while the store was down, written by a replica that was stopped)
   * reach the rollups within the hour. Counting a day of log reads one index (on SQLite on the
   * log's writer thread, between batches); only minutes that changed are read whole.
   */
  private async recheck(from: number, now: Date): Promise<RollupRangeResult> {
    const span = this.options.recheckMs ?? DEFAULT_RECHECK_MS;
    if (span <= 0 || now.getTime() - this.lastRecheck < RECHECK_EVERY_MS) return emptyResult();
    const result = await rollupChanged(this.rollups, new Date(from - span), new Date(from));
    this.lastRecheck = now.getTime();
    return result;
  }

  /**
   * Rolls up again the minutes before `from` where long calls were logged since the last run:
   * only those minutes, each counted against its rollup and summed again if it differs. The first
   * run after a start checks every minute with long calls in the lookback.
   */
  private async lateLongCalls(from: number): Promise<RollupRangeResult> {
    const lookback = (this.options.longestCallMs ?? DEFAULT_LONGEST_CALL_MS) + LATE_WRITE_MS;
    const counts = await this.rollups.longCallsPerMinute(new Date(from - lookback), new Date(from));
    const changed = counts
      .filter(({ minute, requests }) => this.longCallsSeen.get(minute.getTime()) !== requests)
      .map(({ minute }) => minute.getTime())
      .sort((a, b) => a - b);
    const total = emptyResult();
    for (const minute of changed) {
      addResults(total, await rollupChanged(this.rollups, new Date(minute), new Date(minute + BUCKET_MS.minute)));
    }
    // Only once they are rolled up: a run that failed half-way checks them again next time.
    this.longCallsSeen = new Map(counts.map(({ minute, requests }) => [minute.getTime(), requests]));
    return total;
  }
}

function emptyResult(): RollupRangeResult {
  return { minutesSummed: 0, minutesAdded: 0, sourceRows: 0, minuteRows: 0, hourRows: 0, dayRows: 0 };
}

function addResults(into: RollupRangeResult, from: RollupRangeResult): void {
  for (const key of Object.keys(into) as (keyof RollupRangeResult)[]) into[key] += from[key];
}
