import { GqlErrors } from '@synapse/gateway/auth';
import { ENDPOINTS, isEndpoint, type Endpoint } from '@synapse/endpoints';
import type { RequestLogFilter as StoredFilter } from '@synapse/gateway/persistence';
import type { RequestLogFilter } from './dto/request-log-filter.input';

export const MAX_PAGE_SIZE = 500;

const STATUS_CLASS = /^([1-5])xx$/i;
/** Ids, names and classes are short: anything longer matches nothing and is refused instead. */
const MAX_TEXT = 200;

/** A filter's API name (the search's and the live tail's), or BAD_USER_INPUT listing the names there are. */
export function checkedEndpoint(value: string): Endpoint {
  const endpoint = value.trim();
  if (!isEndpoint(endpoint)) {
    throw GqlErrors.badUserInput(`filter.endpoint: one of ${ENDPOINTS.join(', ')}`);
  }
  return endpoint;
}

/** The store's filter for the API's, or BAD_USER_INPUT naming the field that makes no sense. */
export function parseRequestLogFilter(input: RequestLogFilter | null | undefined): StoredFilter {
  const f = input ?? {};
  const filter: StoredFilter = {};
  const text = (field: keyof RequestLogFilter, value: string | null | undefined) => {
    if (value == null) return undefined;
    const trimmed = value.trim();
    if (!trimmed || trimmed.length > MAX_TEXT) {
      throw GqlErrors.badUserInput(`filter.${field}: between 1 and ${MAX_TEXT} characters`);
    }
    return trimmed;
  };
  const set = <K extends keyof StoredFilter>(key: K, value: StoredFilter[K] | undefined) => {
    if (value !== undefined) filter[key] = value;
  };
  set('keyId', text('keyId', f.keyId));
  set('userId', text('userId', f.userId));
  set('teamId', text('teamId', f.teamId));
  set('model', text('model', f.model));
  set('requestedModel', text('requestedModel', f.requestedModel));
  set('upstreamModel', text('upstreamModel', f.upstreamModel));
  set('channelId', text('channelId', f.channelId));
  set('routeName', text('route', f.route));
  if (f.endpoint != null) filter.endpoint = checkedEndpoint(f.endpoint);
  set('errorClass', text('errorClass', f.errorClass));
  set('requestId', text('requestId', f.requestId));

  if (f.since && f.until && f.since.getTime() >= f.until.getTime()) {
    throw GqlErrors.badUserInput('filter.since: must be before filter.until');
  }
  set('since', f.since ?? undefined);
  set('until', f.until ?? undefined);

  if (f.status != null) {
    if (f.status < 100 || f.status > 599) throw GqlErrors.badUserInput('filter.status: an HTTP status, 100-599');
    filter.status = f.status;
  }
  if (f.statusClass != null) {
    const match = STATUS_CLASS.exec(f.statusClass.trim());
    if (!match) throw GqlErrors.badUserInput("filter.statusClass: one of '1xx', '2xx', '3xx', '4xx', '5xx'");
    filter.statusClass = Number(match[1]) as StoredFilter['statusClass'];
    if (filter.status !== undefined && Math.floor(filter.status / 100) !== filter.statusClass) {
      throw GqlErrors.badUserInput(`filter.status: ${filter.status} is not in class ${f.statusClass.trim()}`);
    }
  }

  for (const field of ['minLatencyMs', 'maxLatencyMs'] as const) {
    const value = f[field];
    if (value != null && value < 0) throw GqlErrors.badUserInput(`filter.${field}: 0 or more`);
  }
  if (f.minLatencyMs != null && f.maxLatencyMs != null && f.minLatencyMs > f.maxLatencyMs) {
    throw GqlErrors.badUserInput('filter.minLatencyMs: must not be above filter.maxLatencyMs');
  }
  set('minLatencyMs', f.minLatencyMs ?? undefined);
  set('maxLatencyMs', f.maxLatencyMs ?? undefined);
  return filter;
}

export function checkPageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw GqlErrors.badUserInput(`first: between 1 and ${MAX_PAGE_SIZE}`);
  }
  return first;
}
