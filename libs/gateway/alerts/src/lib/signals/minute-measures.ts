import type { RequestLogSignalRepository, SignalWindow, TrafficCounts } from '@synapse/gateway/persistence';
import { NO_VALUES, packedBytes, packValues, ValueTally, type PackedValues } from './value-counts';
import type { MinuteMeasure } from './window-minutes';

/** Calls, 5xx and spend: sums. */
export function trafficMeasure(logs: RequestLogSignalRepository): MinuteMeasure<TrafficCounts, TrafficCounts> {
  return {
    empty: Object.freeze({ count: 0, errors: 0, costUsd: 0 }),
    zero: () => ({ count: 0, errors: 0, costUsd: 0 }),
    add(into, from) {
      into.count += from.count;
      into.errors += from.errors;
      into.costUsd += from.costUsd;
    },
    perMinute: async (window) =>
      (await logs.countsPerMinute(window)).map(({ minute, ...value }) => ({ minute, value })),
    whole: (window) => logs.counts(window),
  };
}

/** The values of latency or ttft, for a percentile: counted per value, kept packed. */
export function valueMeasure(
  logs: RequestLogSignalRepository,
  column: 'latency' | 'ttft',
): MinuteMeasure<PackedValues, ValueTally> {
  const read = (window: SignalWindow) => logs.valueCountsPerMinute(window, column);
  return {
    empty: NO_VALUES,
    zero: () => new ValueTally(),
    add: (into, from) => into.add(from),
    subtract: (into, from) => into.subtract(from),
    copy: (sum) => sum.copy(),
    bytes: packedBytes,
    async perMinute(window) {
      const byMinute = new Map<number, { minute: Date; rows: { value: number; count: number }[] }>();
      for (const row of await read(window)) {
        const key = row.minute.getTime();
        let minute = byMinute.get(key);
        if (!minute) byMinute.set(key, (minute = { minute: row.minute, rows: [] }));
        minute.rows.push(row);
      }
      return [...byMinute.values()].map(({ minute, rows }) => ({ minute, value: packValues(rows) }));
    },
    whole: async (window) => packValues(mergeByValue(await read(window))),
  };
}

/** One count per value across minutes. */
function mergeByValue(rows: readonly { value: number; count: number }[]): { value: number; count: number }[] {
  const counts = new Map<number, number>();
  for (const { value, count } of rows) counts.set(value, (counts.get(value) ?? 0) + count);
  return [...counts].map(([value, count]) => ({ value, count }));
}
