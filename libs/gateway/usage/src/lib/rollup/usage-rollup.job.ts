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
}

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
      const result = await rollupChanged(this.rollups, new Date(from), new Date(to), { onlyWritten });
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
}
