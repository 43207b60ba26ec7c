import type {
  MinuteCount,
  UsageGranularity,
  UsageRollup,
  UsageSourceGroup,
  UsageSourceRow,
  UsageTotals,
} from '../../models/usage-rollup';
import { LONG_CALL_MS } from '../../alert-repositories';
import { groupUsageSource } from '../../usage-source-groups';
import {
  UsageRollupRepository,
  type UsageCellTotals,
  type UsageGroupTotals,
  type UsageRollupQuery,
  type UsageSeriesPoint,
} from '../../usage-repositories';
import { addUsageTotals, zeroUsageSums } from '../../usage-sums';
import { storedCopy } from './stored-copy';

/**
 * Usage rollups in memory, for specs of code that reads or purges them. The request-log rows that
 * rollups are computed from are whatever a test puts in `sourceLog`.
 */
export class InMemoryUsageRollupRepository extends UsageRollupRepository {
  readonly rows = new Map<string, UsageRollup>();
  readonly sourceLog: UsageSourceRow[] = [];
  private mark: Date | null = null;
  private lease: { owner: string; until: number } | null = null;

  async upsert(rows: readonly UsageRollup[]): Promise<void> {
    for (const row of rows) this.rows.set(keyOf(row), storedCopy(row));
  }

  async rowsBetween(granularity: UsageGranularity, from: Date, to: Date): Promise<UsageRollup[]> {
    return this.select({ granularity, from, to }).map(storedCopy);
  }

  async sumBetween(granularity: UsageGranularity, from: Date, to: Date): Promise<UsageCellTotals[]> {
    const cells = new Map<string, UsageCellTotals>();
    for (const row of this.select({ granularity, from, to })) {
      const key = `${row.dimension}\u0000${row.dimensionValue}\u0000${row.model}`;
      const { dimension, dimensionValue, model } = row;
      cells.set(key, add(cells.get(key) ?? { dimension, dimensionValue, model, ...zero() }, row));
    }
    return [...cells.values()];
  }

  async series(query: UsageRollupQuery): Promise<UsageSeriesPoint[]> {
    const groups = new Map<string, UsageSeriesPoint>();
    for (const row of this.matching(query)) {
      const group = groupOf(row, query);
      const key = `${row.bucketStart.getTime()}\u0000${group}`;
      const into = groups.get(key) ?? { bucketStart: row.bucketStart, group, ...zero() };
      groups.set(key, add(into, row));
    }
    return [...groups.values()].sort(
      (a, b) => a.bucketStart.getTime() - b.bucketStart.getTime() || compare(a.group ?? '', b.group ?? ''),
    );
  }

  async totals(query: UsageRollupQuery): Promise<UsageGroupTotals[]> {
    const groups = new Map<string | null, UsageGroupTotals>();
    for (const row of this.matching(query)) {
      const group = groupOf(row, query);
      groups.set(group, add(groups.get(group) ?? { group, ...zero() }, row));
    }
    return [...groups.values()].sort((a, b) => compare(a.group ?? '', b.group ?? ''));
  }

  async deleteOlderThan(granularity: UsageGranularity, before: Date, limit: number): Promise<number> {
    const old = this.select({ granularity, from: new Date(-8.64e15), to: before }).slice(0, Math.max(0, limit));
    for (const row of old) this.rows.delete(keyOf(row));
    return old.length;
  }

  async sourceGroups(from: Date, to: Date): Promise<UsageSourceGroup[]> {
    return groupUsageSource(this.sourceLog.filter((row) => row.createdAt >= from && row.createdAt < to));
  }

  async loggedPerMinute(from: Date, to: Date, onlyLongCalls = false): Promise<MinuteCount[]> {
    const counts = new Map<number, number>();
    for (const row of this.sourceLog) {
      if (row.createdAt < from || row.createdAt >= to) continue;
      if (onlyLongCalls && row.latencyMs < LONG_CALL_MS) continue;
      const minute = Math.floor(row.createdAt.getTime() / 60_000) * 60_000;
      counts.set(minute, (counts.get(minute) ?? 0) + 1);
    }
    return [...counts].map(([minute, requests]) => ({ minute: new Date(minute), requests }));
  }

  longCallsPerMinute(from: Date, to: Date): Promise<MinuteCount[]> {
    return this.loggedPerMinute(from, to, true);
  }

  async earliestSource(): Promise<Date | null> {
    const times = this.sourceLog.map((row) => row.createdAt.getTime());
    return times.length ? new Date(Math.min(...times)) : null;
  }

  async watermark(): Promise<Date | null> {
    return this.mark && new Date(this.mark.getTime());
  }

  async advanceWatermark(to: Date): Promise<void> {
    if (!this.mark || this.mark < to) this.mark = new Date(to.getTime());
  }

  async acquireLease(owner: string, now: Date, ttlMs: number): Promise<boolean> {
    if (this.lease && this.lease.owner !== owner && this.lease.until >= now.getTime()) return false;
    this.lease = { owner, until: now.getTime() + ttlMs };
    return true;
  }

  async releaseLease(owner: string): Promise<void> {
    if (this.lease?.owner === owner) this.lease = null;
  }

  private select(where: { granularity: UsageGranularity; from: Date; to: Date }): UsageRollup[] {
    return [...this.rows.values()]
      .filter(
        (row) => row.granularity === where.granularity && row.bucketStart >= where.from && row.bucketStart < where.to,
      )
      .sort((a, b) => a.bucketStart.getTime() - b.bucketStart.getTime());
  }

  private matching(query: UsageRollupQuery): UsageRollup[] {
    return this.select(query).filter(
      (row) =>
        row.dimension === query.dimension &&
        (query.dimension !== 'all' || row.dimensionValue === '') &&
        (query.dimensionValue === undefined || row.dimensionValue === query.dimensionValue) &&
        (query.model === undefined || row.model === query.model),
    );
  }
}

function keyOf(row: UsageRollup): string {
  return [row.granularity, row.dimension, row.dimensionValue, row.bucketStart.getTime(), row.model].join('\u0000');
}

function groupOf(row: UsageRollup, query: UsageRollupQuery): string | null {
  return query.groupBy === 'value' ? row.dimensionValue : query.groupBy === 'model' ? row.model : null;
}

function zero(): UsageTotals {
  return { ...zeroUsageSums(), latencyBuckets: '' };
}

function add<T extends UsageTotals>(into: T, row: UsageTotals): T {
  addUsageTotals(into, row);
  return into;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
