import {
  LIVE_DIMENSIONS,
  addCounts,
  countSample,
  emptyAggregate,
  mergeAggregate,
  type LiveAggregate,
  type LiveDimension,
  type LiveSample,
  type SampleCounts,
} from './live-aggregate';

export interface LiveWindowOptions {
  /** Width of a time slot; windows are read to the slot. Default 10 s. */
  slotMs?: number;
  /** How far back slots are kept. Default 15 minutes. */
  retainMs?: number;
  /** Distinct values per dimension per slot; further values are counted under OTHER_VALUE. Default 1,000. */
  maxValuesPerSlot?: number;
}

/** Where values beyond `maxValuesPerSlot` are counted, so that random model names cannot fill memory. */
export const OTHER_VALUE = '(other)';

/** An aggregate in a slot, with what was last handed to `changes` (to find what changed since). */
export interface SlotAggregate extends LiveAggregate {
  flushedCount: number;
}

/** One time slot: per dimension, the aggregate of each value seen. */
export interface LiveSlot {
  start: number;
  groups: Map<string, SlotAggregate>[];
}

/** What changed in one slot since the last `changes()`: [dimension, value, aggregate] triples. */
export interface SlotChanges {
  start: number;
  changed: [LiveDimension, string, LiveAggregate][];
}

const DIMENSION_INDEX: Readonly<Record<LiveDimension, number>> = Object.fromEntries(
  LIVE_DIMENSIONS.map((dimension, index) => [dimension, index]),
) as Record<LiveDimension, number>;

/**
 * Time-bucketed counts of finished calls per model, channel, route, key, user and team, kept for
 * `retainMs` in a ring of slots. Recording a call costs two binary searches, six map look-ups
 * and a few additions; nothing is allocated but the first time a value shows up in a slot.
 */
export class LiveWindow {
  readonly slotMs: number;
  readonly retainMs: number;
  private readonly maxValues: number;
  private readonly ring: (LiveSlot | undefined)[];
  /** The current call's counts, reused from call to call. */
  private readonly counts: SampleCounts = {
    error: false,
    latencyBucket: 0,
    ttftBucket: -1,
    outputTokens: 0,
    generationMs: 0,
  };

  constructor(options: LiveWindowOptions = {}) {
    this.slotMs = options.slotMs ?? 10_000;
    this.retainMs = options.retainMs ?? 15 * 60_000;
    this.maxValues = options.maxValuesPerSlot ?? 1_000;
    // One more slot than the retention holds whole: the current one is partly filled.
    this.ring = new Array<LiveSlot | undefined>(Math.ceil(this.retainMs / this.slotMs) + 1);
  }

  /** The start of the slot a time falls in. */
  slotStart(now: number): number {
    return now - (now % this.slotMs);
  }

  record(sample: LiveSample, now = Date.now()): void {
    const { groups } = this.slotAt(now);
    const counts = countSample(sample, this.counts);
    this.add(groups[0], sample.requestedModel, counts);
    this.add(groups[1], sample.channelId, counts);
    this.add(groups[2], sample.routeName, counts);
    this.add(groups[3], sample.keyId, counts);
    this.add(groups[4], sample.userId, counts);
    this.add(groups[5], sample.teamId ?? null, counts);
  }

  /** Each value of a dimension with its counts over the slots that overlap the last `windowMs`. */
  collect(dimension: LiveDimension, windowMs: number, now = Date.now()): Map<string, LiveAggregate> {
    const merged = new Map<string, LiveAggregate>();
    const index = DIMENSION_INDEX[dimension];
    for (const slot of this.ring) {
      if (!slot || !overlaps(slot.start, this.slotMs, windowMs, now)) continue;
      for (const [value, aggregate] of slot.groups[index]) {
        let into = merged.get(value);
        if (!into) merged.set(value, (into = emptyAggregate()));
        mergeAggregate(into, aggregate);
      }
    }
    return merged;
  }

  /**
   * The aggregates that changed since the last call (whole, not as differences: a retried write
   * overwrites rather than counts twice), slot by slot, oldest first; marks them as handed over.
   */
  changes(): SlotChanges[] {
    const result: SlotChanges[] = [];
    for (const slot of this.ring) {
      if (!slot) continue;
      const changed: SlotChanges['changed'] = [];
      slot.groups.forEach((group, index) => {
        for (const [value, aggregate] of group) {
          if (aggregate.count === aggregate.flushedCount) continue;
          aggregate.flushedCount = aggregate.count;
          changed.push([LIVE_DIMENSIONS[index], value, aggregate]);
        }
      });
      if (changed.length > 0) result.push({ start: slot.start, changed });
    }
    return result.sort((a, b) => a.start - b.start);
  }

  /** Hands changes over again at the next `changes()` (their write failed). */
  unflushed(changes: readonly SlotChanges[]): void {
    for (const slot of changes)
      for (const [, , aggregate] of slot.changed) (aggregate as SlotAggregate).flushedCount = -1;
  }

  private slotAt(now: number): LiveSlot {
    const start = this.slotStart(now);
    const position = Math.floor(start / this.slotMs) % this.ring.length;
    let slot = this.ring[position];
    if (slot?.start !== start) {
      slot = { start, groups: LIVE_DIMENSIONS.map(() => new Map<string, SlotAggregate>()) };
      this.ring[position] = slot;
    }
    return slot;
  }

  private add(group: Map<string, SlotAggregate>, value: string | null, counts: SampleCounts): void {
    if (value === null) return;
    let aggregate = group.get(value);
    if (!aggregate) {
      if (group.size >= this.maxValues) {
        value = OTHER_VALUE;
        aggregate = group.get(value);
      }
      if (!aggregate) group.set(value, (aggregate = { ...emptyAggregate(), flushedCount: 0 }));
    }
    addCounts(aggregate, counts);
  }
}

/** Whether a slot [start, start + slotMs) overlaps (now - windowMs, now]. */
export function overlaps(start: number, slotMs: number, windowMs: number, now: number): boolean {
  return start + slotMs > now - windowMs && start <= now;
}
