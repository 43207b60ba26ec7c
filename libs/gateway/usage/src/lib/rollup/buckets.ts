import type { UsageGranularity } from '@synapse/gateway/persistence';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Length of a bucket in milliseconds (UTC days have no leap seconds in JavaScript time). */
export const BUCKET_MS: Readonly<Record<UsageGranularity, number>> = { minute: MINUTE, hour: HOUR, day: DAY };

/** The UTC start of the bucket that holds `time`. */
export function bucketStart(time: number, granularity: UsageGranularity): number {
  const size = BUCKET_MS[granularity];
  return Math.floor(time / size) * size;
}

/** The start of the first bucket that begins at or after `time`. */
export function bucketCeil(time: number, granularity: UsageGranularity): number {
  const size = BUCKET_MS[granularity];
  return Math.ceil(time / size) * size;
}
