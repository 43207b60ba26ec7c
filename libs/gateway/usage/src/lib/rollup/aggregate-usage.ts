import { addBuckets, decodeBuckets, emptyBuckets, encodeBuckets } from '@synapse/metrics';
import {
  addUsageSums,
  eachInTurns,
  mapInTurns,
  zeroUsageSums,
  type UsageDimension,
  type UsageGranularity,
  type UsageRollup,
  type UsageSourceGroup,
  type UsageSums,
} from '@synapse/gateway/persistence';

type Sums = UsageSums & { histogram: number[] };
interface Cell extends Sums {
  dimension: UsageDimension;
  dimensionValue: string;
  bucket: number;
  model: string;
}

/**
 * Adds rows into cells keyed by (dimension, value, bucket, model); a Map of plain counters.
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

  rows(): Promise<UsageRollup[]> {
    return mapInTurns([...this.cells.values()], ({ bucket, histogram, ...sums }) => ({
      ...sums,
      granularity: this.granularity,
      bucketStart: new Date(bucket),
      latencyBuckets: encodeBuckets(histogram),
    }));
  }
}

/**
 * Rolls the request log's minute groups up into minute rows: one per (dimension, value, minute,
 * model) for everything, and per key, user, team and channel that the calls had. The model is the
 * one the caller asked for, else the upstream's (the groups carry it so).
 */
export async function rollupMinutes(source: readonly UsageSourceGroup[]): Promise<UsageRollup[]> {
  const cells = new Cells('minute');
  // A minute of many keys is many groups (~8 µs each): the event loop gets turns between slices.
  await eachInTurns(source, (group) => {
    const minute = group.minute.getTime();
    const add = (dimension: UsageDimension, value: string | null) => {
      if (value === null) return;
      const cell = cells.cell(dimension, value, minute, group.model);
      addUsageSums(cell, group);
      cell.histogram[group.latencyBucket] += group.requests;
    };
    add('all', '');
    add('key', group.keyId);
    add('user', group.userId);
    add('team', group.teamId);
    add('channel', group.channelId);
  });
  return cells.rows();
}

function zero(): Sums {
  return { ...zeroUsageSums(), histogram: emptyBuckets() };
}

/**
 * Minute rows with more calls added: `existing` and `added` summed per (dimension, value, minute,
 * model), histograms merged; rows only one side has are kept as they are.
 */
export async function addRollups(
  existing: readonly UsageRollup[],
  added: readonly UsageRollup[],
): Promise<UsageRollup[]> {
  const cells = new Cells('minute');
  await eachInTurns([...existing, ...added], (row) => {
    const cell = cells.cell(row.dimension, row.dimensionValue, row.bucketStart.getTime(), row.model);
    addUsageSums(cell, row);
    addBuckets(cell.histogram, decodeBuckets(row.latencyBuckets));
  });
  return cells.rows();
}
