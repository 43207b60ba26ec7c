import { AbstractControl, FormControl, FormGroup, Validators, type ValidationErrors } from '@angular/forms';
import { bucketCount, presetRange, type Granularity, type RangePreset } from '../../core/usage-range';
import type { UsageFilter, UsageGroupBy, UsageMetric, UsageSeriesVariables, UsageTopVariables } from './usage.graphql';

export const GROUP_BYS: readonly UsageGroupBy[] = ['NONE', 'KEY', 'USER', 'TEAM', 'CHANNEL', 'MODEL'];
export const TOP_BYS = ['MODEL', 'KEY', 'USER', 'TEAM', 'CHANNEL'] as const;
export const METRICS: readonly UsageMetric[] = ['REQUESTS', 'COST', 'TOKENS', 'ERRORS'];
export const GRANULARITIES: readonly Granularity[] = ['MINUTE', 'HOUR', 'DAY'];
/** The dimension a series may be narrowed to (at most one, says the API). */
export const FILTER_DIMENSIONS = ['NONE', 'KEY', 'USER', 'TEAM', 'CHANNEL'] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];
export const MAX_BUCKETS = 1500;

/** `datetime-local` text of a moment, in the browser's zone. */
export function localInput(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function usageForm(preset: RangePreset = 'WEEK', now = Date.now()) {
  const { range, granularity } = presetRange(preset, now);
  return new FormGroup(
    {
      from: new FormControl(localInput(range.from), { nonNullable: true, validators: [Validators.required, dateTime] }),
      to: new FormControl(localInput(range.to), { nonNullable: true, validators: [Validators.required, dateTime] }),
      granularity: new FormControl<Granularity>(granularity, { nonNullable: true }),
      groupBy: new FormControl<UsageGroupBy>('NONE', { nonNullable: true }),
      dimension: new FormControl<FilterDimension>('NONE', { nonNullable: true }),
      dimensionId: new FormControl('', { nonNullable: true, validators: [Validators.maxLength(200)] }),
      model: new FormControl('', { nonNullable: true, validators: [Validators.maxLength(200)] }),
      topBy: new FormControl<(typeof TOP_BYS)[number]>('MODEL', { nonNullable: true }),
      metric: new FormControl<UsageMetric>('REQUESTS', { nonNullable: true }),
      limit: new FormControl<number>(10, {
        nonNullable: true,
        validators: [Validators.required, Validators.min(1), Validators.max(100), Validators.pattern(/^\d+$/)],
      }),
    },
    { validators: [rangeChecks, filterChecks] },
  );
}

export type UsageForm = ReturnType<typeof usageForm>;
export type UsageFormValue = ReturnType<UsageForm['getRawValue']>;

function dateTime(control: AbstractControl): ValidationErrors | null {
  const value = control.value as string;
  return value && Number.isNaN(Date.parse(value)) ? { dateTime: true } : null;
}

/** `from` before `to`, and no more buckets than the API answers. */
function rangeChecks(group: AbstractControl): ValidationErrors | null {
  const from = Date.parse(group.get('from')?.value as string);
  const to = Date.parse(group.get('to')?.value as string);
  if (Number.isNaN(from) || Number.isNaN(to)) return null;
  if (from >= to) return { rangeOrder: true };
  const buckets = bucketCount(new Date(from), new Date(to), group.get('granularity')?.value as Granularity);
  return buckets > MAX_BUCKETS ? { tooManyBuckets: { buckets } } : null;
}

/** A dimension filter needs its id, and allows grouping by NONE, MODEL or that dimension only. */
function filterChecks(group: AbstractControl): ValidationErrors | null {
  const dimension = group.get('dimension')?.value as FilterDimension;
  if (dimension === 'NONE') return null;
  if (!(group.get('dimensionId')?.value as string).trim()) return { dimensionId: true };
  const groupBy = group.get('groupBy')?.value as UsageGroupBy;
  return groupBy === 'NONE' || groupBy === 'MODEL' || groupBy === dimension ? null : { grouping: true };
}

export function toUsageFilter(value: UsageFormValue): UsageFilter | null {
  const filter: UsageFilter = {};
  const id = value.dimensionId.trim();
  if (value.dimension !== 'NONE' && id) {
    const field = ({ KEY: 'keyId', USER: 'userId', TEAM: 'teamId', CHANNEL: 'channelId' } as const)[value.dimension];
    filter[field] = id;
  }
  const model = value.model.trim();
  if (model) filter.model = model;
  return Object.keys(filter).length ? filter : null;
}

export function toRange(value: UsageFormValue) {
  return { from: new Date(value.from).toISOString(), to: new Date(value.to).toISOString() };
}

export function toSeriesVariables(value: UsageFormValue): UsageSeriesVariables {
  return {
    range: toRange(value),
    granularity: value.granularity,
    groupBy: value.groupBy,
    filter: toUsageFilter(value),
  };
}

export function toTopVariables(value: UsageFormValue): UsageTopVariables {
  return {
    range: toRange(value),
    by: value.topBy,
    metric: value.metric,
    limit: Number(value.limit),
    filter: toUsageFilter(value),
  };
}

/** The query string of `GET /api/usage/export.csv` for the same period, grouping and filter. */
export function exportParams(value: UsageFormValue): Record<string, string> {
  const { range } = { range: toRange(value) };
  const params: Record<string, string> = {
    from: range.from,
    to: range.to,
    granularity: value.granularity.toLowerCase(),
    groupBy: value.groupBy.toLowerCase(),
  };
  const filter = toUsageFilter(value);
  for (const [key, v] of Object.entries(filter ?? {})) if (v) params[key] = v;
  return params;
}
