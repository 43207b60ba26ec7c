export const RANGE_PRESETS = ['HOUR', 'DAY', 'WEEK', 'MONTH'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export type Granularity = 'MINUTE' | 'HOUR' | 'DAY';

const PRESETS: Record<RangePreset, { ms: number; granularity: Granularity }> = {
  HOUR: { ms: 3_600_000, granularity: 'MINUTE' },
  DAY: { ms: 86_400_000, granularity: 'HOUR' },
  WEEK: { ms: 7 * 86_400_000, granularity: 'HOUR' },
  MONTH: { ms: 30 * 86_400_000, granularity: 'DAY' },
};

/** A preset range ending now, with the granularity that keeps its series under the API's 1500 buckets. */
export function presetRange(preset: RangePreset, now = Date.now()) {
  const { ms, granularity } = PRESETS[preset];
  return { range: { from: new Date(now - ms).toISOString(), to: new Date(now).toISOString() }, granularity };
}

/** How many buckets of a granularity a range holds (the API refuses more than 1500). */
export function bucketCount(from: Date, to: Date, granularity: Granularity): number {
  const size = granularity === 'MINUTE' ? 60_000 : granularity === 'HOUR' ? 3_600_000 : 86_400_000;
  return Math.ceil((to.getTime() - Math.floor(from.getTime() / size) * size) / size);
}
