import { addBuckets, bucketIndex, decodeBuckets, emptyBuckets, encodeBuckets } from '@synapse/metrics';
import type {
  UsageDimension,
  UsageGranularity,
  UsageRollup,
  UsageSourceRow,
  UsageTotals,
} from '@synapse/gateway/persistence';
import { bucketStart } from './buckets';

type Sums = Omit<UsageTotals, 'latencyBuckets'> & { histogram: number[] };
interface Cell extends Sums {
  dimension: UsageDimension;
  dimensionValue: string;
  bucket: number;
  model: string;
}

/**
 * Adds rows into cells keyed by (dimension, value, bucket, model); a Map of plain counters so that
 * a million log rows roll up in seconds.
 */
class Cells {
  private readonly cells = new Map<string, Cell>();

  constructor(private readonly granularity: UsageGranularity) {}

  cell(dimension: UsageDimension, dimensionValue: string, bucket: number, model: string): Cell {
    const key = `${dimension}\u0000${dimensionValue}\u0000${bucket}\u0000${model}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { dimension, dimensionValue, bucket, model, ...zero() };
      this.cells.set(key, cell);
    }
    return cell;
  }

  rows(): UsageRollup[] {
    return [...this.cells.values()].map(({ bucket, histogram, ...sums }) => ({
      ...sums,
      granularity: this.granularity,
      bucketStart: new Date(bucket),
      latencyBuckets: encodeBuckets(histogram),
    }));
  }
}

/**
 * Rolls request-log rows up into minute rows: one per (dimension, value, minute, model) for
 * everything, and per key, user, team and channel that the call had. The model is the one the
 * caller asked for, else the upstream's.
 */
export function rollupMinutes(source: readonly UsageSourceRow[]): UsageRollup[] {
  const cells = new Cells('minute');
  for (const row of source) {
    const minute = bucketStart(row.createdAt.getTime(), 'minute');
    const model = row.requestedModel ?? row.upstreamModel ?? '';
    const latency = bucketIndex(row.latencyMs);
    const generating = row.ttftMs !== null && (row.completionTokens ?? 0) > 0;
    const add = (dimension: UsageDimension, value: string | null) => {
      if (value === null) return;
      const cell = cells.cell(dimension, value, minute, model);
      cell.requests++;
      if (row.status >= 400) cell.errors++;
      cell.promptTokens += row.promptTokens ?? 0;
      cell.completionTokens += row.completionTokens ?? 0;
      cell.cachedTokens += row.cachedTokens ?? 0;
      cell.costUsd += row.costUsd ?? 0;
      cell.latencySumMs += row.latencyMs;
      cell.histogram[latency]++;
      if (row.ttftMs !== null) {
        cell.ttftSumMs += row.ttftMs;
        cell.ttftCount++;
      }
      if (generating) {
        cell.generationMs += Math.max(0, row.latencyMs - (row.ttftMs ?? 0));
        cell.generationTokens += row.completionTokens ?? 0;
      }
    };
    add('all', '');
    add('key', row.keyId);
    add('user', row.userId);
    add('team', row.teamId);
    add('channel', row.channelId);
  }
  return cells.rows();
}

/** Rolls finer rows (minutes or hours) up into `granularity` buckets, histograms merged. */
export function rollupCoarser(rows: readonly UsageRollup[], granularity: UsageGranularity): UsageRollup[] {
  const cells = new Cells(granularity);
  for (const row of rows) {
    const cell = cells.cell(
      row.dimension,
      row.dimensionValue,
      bucketStart(row.bucketStart.getTime(), granularity),
      row.model,
    );
    cell.requests += row.requests;
    cell.errors += row.errors;
    cell.promptTokens += row.promptTokens;
    cell.completionTokens += row.completionTokens;
    cell.cachedTokens += row.cachedTokens;
    cell.costUsd += row.costUsd;
    cell.latencySumMs += row.latencySumMs;
    addBuckets(cell.histogram, decodeBuckets(row.latencyBuckets));
    cell.ttftSumMs += row.ttftSumMs;
    cell.ttftCount += row.ttftCount;
    cell.generationMs += row.generationMs;
    cell.generationTokens += row.generationTokens;
  }
  return cells.rows();
}

function zero(): Sums {
  return {
    requests: 0,
    errors: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    costUsd: 0,
    latencySumMs: 0,
    histogram: emptyBuckets(),
    ttftSumMs: 0,
    ttftCount: 0,
    generationMs: 0,
    generationTokens: 0,
  };
}
