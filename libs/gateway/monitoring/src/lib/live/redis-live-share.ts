import { Logger } from '@nestjs/common';
import {
  decodeAggregate,
  emptyAggregate,
  encodeAggregate,
  mergeAggregate,
  overlaps,
  type LiveAggregate,
  type LiveDimension,
  type LiveWindow,
} from '@synapse/metrics';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { LiveShare, type InFlightCounts } from './live-share';

const PREFIX = 'synapse:live';
const IN_FLIGHT_KEY = `${PREFIX}:inflight`;

interface InFlightReport {
  at: number;
  counts: Partial<Record<LiveDimension, Record<string, number>>>;
}

/**
 * Live windows shared by replicas through Redis. Every `intervalMs` (never per call) a replica
 * writes the aggregates that changed since its last write, whole, one hash per dimension and slot
 * (field `<replica>\n<value>`, so a retried write overwrites instead of counting twice), and its
 * in-flight counts, in one pipelined round trip. Reads merge every replica's fields.
 */
export class RedisLiveShare extends LiveShare {
  private readonly logger = new Logger('LiveMetrics');
  readonly replicaId = randomUUID();
  private window: LiveWindow | undefined;
  private counts: () => InFlightCounts = () => ({});
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly intervalMs: number,
  ) {
    super();
  }

  start(window: LiveWindow, inFlight: () => InFlightCounts): void {
    this.window = window;
    this.counts = inFlight;
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    await this.redis.hdel(IN_FLIGHT_KEY, this.replicaId).catch(() => undefined);
    this.window = undefined;
  }

  /** Writes what changed; concurrent calls share one write. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async collect(dimension: LiveDimension, windowMs: number): Promise<Map<string, LiveAggregate>> {
    const window = this.window;
    const merged = new Map<string, LiveAggregate>();
    if (!window) return merged;
    // This replica's latest calls too, not only what its last periodic write took.
    await this.flush();
    const now = Date.now();
    const pipeline = this.redis.pipeline();
    for (let start = window.slotStart(now); overlaps(start, window.slotMs, windowMs, now); start -= window.slotMs) {
      pipeline.hgetall(slotKey(dimension, start));
    }
    const replies = (await pipeline.exec()) ?? [];
    for (const [error, fields] of replies) {
      if (error) throw error;
      for (const [field, text] of Object.entries(fields as Record<string, string>)) {
        const value = field.slice(field.indexOf('\n') + 1);
        const aggregate = decodeAggregate(text);
        if (!aggregate) continue;
        let into = merged.get(value);
        if (!into) merged.set(value, (into = emptyAggregate()));
        mergeAggregate(into, aggregate);
      }
    }
    return merged;
  }

  async inFlight(dimension: LiveDimension): Promise<Map<string, number>> {
    await this.flush();
    const reports = await this.redis.hgetall(IN_FLIGHT_KEY);
    const totals = new Map<string, number>();
    const now = Date.now();
    for (const text of Object.values(reports)) {
      let report: InFlightReport;
      try {
        report = JSON.parse(text) as InFlightReport;
      } catch {
        continue;
      }
      // A replica that stopped reporting (gone, or hung) counts for nothing.
      if (now - report.at > this.staleMs) continue;
      for (const [value, count] of Object.entries(report.counts[dimension] ?? {})) {
        totals.set(value, (totals.get(value) ?? 0) + count);
      }
    }
    return totals;
  }

  private get staleMs(): number {
    return Math.max(5_000, 3 * this.intervalMs);
  }

  private async write(): Promise<void> {
    const window = this.window;
    if (!window) return;
    const changes = window.changes();
    const pipeline = this.redis.pipeline();
    const ttlMs = window.retainMs + 2 * window.slotMs;
    for (const slot of changes) {
      const expiring = new Set<string>();
      for (const [dimension, value, aggregate] of slot.changed) {
        const key = slotKey(dimension, slot.start);
        pipeline.hset(key, `${this.replicaId}\n${value}`, encodeAggregate(aggregate));
        expiring.add(key);
      }
      for (const key of expiring) pipeline.pexpire(key, ttlMs);
    }
    const report: InFlightReport = { at: Date.now(), counts: {} };
    for (const [dimension, counts] of Object.entries(this.counts()) as [LiveDimension, Map<string, number>][]) {
      if (counts.size > 0) report.counts[dimension] = Object.fromEntries(counts);
    }
    pipeline.hset(IN_FLIGHT_KEY, this.replicaId, JSON.stringify(report));
    pipeline.pexpire(IN_FLIGHT_KEY, 10 * this.staleMs);
    try {
      const replies = (await pipeline.exec()) ?? [];
      const failed = replies.find(([error]) => error);
      if (failed) throw failed[0];
    } catch (error) {
      window.unflushed(changes);
      this.logger.warn(`live metrics not shared: ${(error as Error).message}`);
    }
  }
}

function slotKey(dimension: LiveDimension, start: number): string {
  return `${PREFIX}:${dimension}:${start}`;
}
