import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { REDIS } from '@synapse/gateway/cluster';
import { RETENTION_TARGETS, type RetentionTarget } from '@synapse/gateway/persistence';
import type Redis from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisLock } from './redis-lock';

export interface RetentionOptions {
  /** Days kept per kind; 0 or absent: forever. */
  days: Readonly<Record<string, number>>;
  intervalMs: number;
  /** Rows per DELETE statement. */
  batchSize: number;
  /** Pause between two statements, so that the store keeps serving the gateway's writes. */
  pauseMs: number;
  /** Delay of the first run after the start. */
  firstRunDelayMs?: number;
}

export const RETENTION_OPTIONS = Symbol('RETENTION_OPTIONS');

const DAY_MS = 24 * 60 * 60 * 1000;
const LOCK_KEY = 'synapse:retention:lock';

/** What one run deleted, per kind. */
export type PurgeReport = Record<string, number>;

/**
 * Deletes history older than each kind's retention, on a schedule, a batch at a time with a pause
 * between statements. With Redis, one replica at a time runs it (a lock); deletes are idempotent
 * anyway, so a replica that runs without the lock only repeats work.
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private running: Promise<PurgeReport | null> | undefined;
  private stopping = false;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    @Inject(RETENTION_TARGETS) private readonly targets: readonly RetentionTarget[],
    @Inject(RETENTION_OPTIONS) private readonly options: RetentionOptions,
    @Optional() @Inject(REDIS) private readonly redis: Redis | null,
    @Optional() private readonly scheduler?: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const unknown = this.targets.filter((t) => !(t.kind in this.options.days)).map((t) => t.kind);
    if (unknown.length) this.logger.warn(`no retention set for ${unknown.join(', ')}: kept forever`);
    if (!this.targets.some((t) => (this.options.days[t.kind] ?? 0) > 0)) return;
    const first = setTimeout(() => void this.run(), this.options.firstRunDelayMs ?? 60_000);
    const every = setInterval(() => void this.run(), this.options.intervalMs);
    for (const timer of [first, every]) timer.unref();
    this.timers = [first, every];
    this.scheduler?.addInterval('retention', every);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    await this.running;
  }

  /** One purge of every kind; null when another run (here or on another replica) holds the lock. */
  run(now = new Date()): Promise<PurgeReport | null> {
    this.running ??= this.purgeLocked(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async purgeLocked(now: Date): Promise<PurgeReport | null> {
    // The lock outlives a stalled replica by a few batches at most: it is extended after each one.
    const lock = this.redis ? new RedisLock(this.redis, LOCK_KEY, Math.max(60_000, this.options.pauseMs * 10)) : null;
    try {
      if (lock && !(await lock.acquire())) return null;
    } catch (error) {
      this.logger.warn(`retention lock unavailable (${(error as Error).message}): purging without it`);
    }
    try {
      const report: PurgeReport = {};
      for (const target of this.targets) {
        const days = this.options.days[target.kind] ?? 0;
        if (days <= 0 || this.stopping) continue;
        report[target.kind] = await this.purge(target, new Date(now.getTime() - days * DAY_MS), lock);
      }
      const total = Object.values(report).reduce((sum, n) => sum + n, 0);
      if (total > 0) {
        const parts = Object.entries(report).filter(([, n]) => n > 0);
        this.logger.log(`purged ${parts.map(([kind, n]) => `${n} ${kind}`).join(', ')}`);
      }
      return report;
    } finally {
      await lock?.release().catch(() => undefined);
    }
  }

  private async purge(target: RetentionTarget, before: Date, lock: RedisLock | null): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const deleted = await target.purgeOlderThan(before, this.options.batchSize);
        total += deleted;
        if (deleted < this.options.batchSize || this.stopping) return total;
        await lock?.extend().catch(() => false);
        await sleep(this.options.pauseMs);
      }
    } catch (error) {
      this.logger.error(`purging ${target.kind} failed after ${total} rows: ${(error as Error).message}`);
      return total;
    }
  }
}
