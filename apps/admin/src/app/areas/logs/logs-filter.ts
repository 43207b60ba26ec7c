import { AbstractControl, FormControl, FormGroup, Validators, type ValidationErrors } from '@angular/forms';
import type { RequestLogFilter, RequestLogTailFilter } from './logs.graphql';

export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export const MODEL_MATCHES = ['any', 'requested', 'upstream'] as const;
/** Suggestions for the error class (the proxy's error codes); any other class may be typed. */
export const ERROR_CLASSES = [
  'upstream_timeout',
  'upstream_error',
  'upstream_unreachable',
  'upstream_auth_failed',
  'upstream_not_found',
  'upstream_quota_exhausted',
  'upstream_bad_request',
  'rate_limit_exceeded',
  'model_not_found',
  'invalid_api_key',
  'client_closed',
  'gateway_shutdown',
] as const;

const text = () => new FormControl('', { nonNullable: true, validators: [Validators.maxLength(200)] });
const latency = () =>
  new FormControl<number | null>(null, [Validators.min(0), Validators.max(3_600_000), Validators.pattern(/^\d+$/)]);

/** The search form: every filter `requestLogs` takes (docs/logs.md). */
export function logsFilterForm() {
  return new FormGroup(
    {
      since: new FormControl('', { nonNullable: true, validators: [dateTime] }),
      until: new FormControl('', { nonNullable: true, validators: [dateTime] }),
      keyId: text(),
      userId: text(),
      teamId: text(),
      model: text(),
      modelMatch: new FormControl<(typeof MODEL_MATCHES)[number]>('any', { nonNullable: true }),
      channelId: text(),
      route: text(),
      endpoint: new FormControl('', { nonNullable: true }),
      status: new FormControl<number | null>(null, [
        Validators.min(100),
        Validators.max(599),
        Validators.pattern(/^\d+$/),
      ]),
      statusClass: new FormControl('', { nonNullable: true }),
      minLatencyMs: latency(),
      maxLatencyMs: latency(),
      errorClass: text(),
      requestId: text(),
    },
    {
      validators: [
        ordered('since', 'until', 'timeOrder'),
        ordered('minLatencyMs', 'maxLatencyMs', 'latencyOrder'),
        statusAgrees,
      ],
    },
  );
}

export type LogsFilterForm = ReturnType<typeof logsFilterForm>;
export type LogsFilterValue = LogsFilterForm['value'];

/** A `datetime-local` value (or empty) that is a real moment. */
function dateTime(control: AbstractControl): ValidationErrors | null {
  const value = control.value as string;
  return value && Number.isNaN(Date.parse(value)) ? { dateTime: true } : null;
}

function ordered(first: string, second: string, error: string) {
  return (group: AbstractControl): ValidationErrors | null => {
    const a = group.get(first)?.value as string | number | null;
    const b = group.get(second)?.value as string | number | null;
    if (a === null || a === '' || b === null || b === '') return null;
    const [x, y] = typeof a === 'string' ? [Date.parse(a), Date.parse(b as string)] : [a, b as number];
    return x > y || (typeof a === 'string' && x === y) ? { [error]: true } : null;
  };
}

/** An exact status must be of the chosen class (the API refuses the pair otherwise). */
function statusAgrees(group: AbstractControl): ValidationErrors | null {
  const status = group.get('status')?.value as number | null;
  const statusClass = group.get('statusClass')?.value as string;
  return status != null && statusClass && `${String(status)[0]}xx` !== statusClass ? { statusClass: true } : null;
}

const trimmed = (value: string | undefined) => {
  const t = value?.trim();
  return t ? t : undefined;
};

/** The form's values as the API's `RequestLogFilter`: only what was filled in; times in ISO 8601. */
export function toRequestLogFilter(value: LogsFilterValue): RequestLogFilter {
  const filter: RequestLogFilter = {};
  const since = trimmed(value.since);
  const until = trimmed(value.until);
  if (since) filter.since = new Date(since).toISOString();
  if (until) filter.until = new Date(until).toISOString();
  for (const key of ['keyId', 'userId', 'teamId', 'channelId', 'route', 'errorClass', 'requestId'] as const) {
    const v = trimmed(value[key]);
    if (v) filter[key] = v;
  }
  const model = trimmed(value.model);
  if (model) {
    const field =
      value.modelMatch === 'requested' ? 'requestedModel' : value.modelMatch === 'upstream' ? 'upstreamModel' : 'model';
    filter[field] = model;
  }
  if (value.endpoint) filter.endpoint = value.endpoint;
  if (value.status != null && String(value.status) !== '') filter.status = Number(value.status);
  if (value.statusClass) filter.statusClass = value.statusClass;
  if (value.minLatencyMs != null && String(value.minLatencyMs) !== '') filter.minLatencyMs = Number(value.minLatencyMs);
  if (value.maxLatencyMs != null && String(value.maxLatencyMs) !== '') filter.maxLatencyMs = Number(value.maxLatencyMs);
  return filter;
}

/** What of the search the live tail can apply (`RequestLogTailFilter`); errors only for 4xx/5xx. */
export function toTailFilter(value: LogsFilterValue): RequestLogTailFilter {
  const filter: RequestLogTailFilter = {};
  for (const key of ['keyId', 'userId', 'teamId', 'channelId'] as const) {
    const v = trimmed(value[key]);
    if (v) filter[key] = v;
  }
  const model = trimmed(value.model);
  if (model) filter.model = model;
  const route = trimmed(value.route);
  if (route) filter.routeName = route;
  if (value.endpoint) filter.endpoint = value.endpoint;
  if (value.statusClass === '4xx' || value.statusClass === '5xx') filter.errorsOnly = true;
  return filter;
}
