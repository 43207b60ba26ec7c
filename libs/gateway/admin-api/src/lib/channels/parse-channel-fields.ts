import { GqlErrors } from '@synapse/gateway/auth';
import { channelSchema, formatIssues, type ChannelType } from '@synapse/gateway/config';
import type { ChannelTimeouts } from '@synapse/gateway/persistence';
import type { ChannelHeaderInput } from './dto/channel-header.input';
import type { ChannelTimeoutsInput } from './models/channel-timeouts.model';

/** The fields of a channel that the admin API sets, the API key aside. */
export interface ChannelFields {
  name: string;
  type: ChannelType;
  baseUrl: string;
  models: string[];
  enabled: boolean;
  headers: Record<string, string>;
  timeouts: ChannelTimeouts;
}

export interface ChannelFieldsInput {
  name: string;
  type: ChannelType;
  baseUrl: string;
  models: string[];
  enabled: boolean;
  headers: readonly ChannelHeaderInput[];
  timeouts: ChannelTimeoutsInput | ChannelTimeouts | null;
}

const fieldsSchema = channelSchema.omit({ apiKey: true });
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Set by the gateway itself (or by the HTTP client), so a value given here would be lost or break the call. */
const RESERVED_HEADERS = new Set([
  'accept',
  'connection',
  'content-length',
  'content-type',
  'host',
  'transfer-encoding',
]);
const MAX_API_KEY_LENGTH = 4096;

/**
 * Checks a channel with the config file's own schema, so that both name the same mistake the same
 * way (`baseUrl: must be an http(s) URL`), plus the header rules the file leaves to the upstream.
 * Messages name header names, never header values.
 */
export function parseChannelFields(input: ChannelFieldsInput): ChannelFields {
  const problems = headerProblems(input.headers);
  const parsed = fieldsSchema.safeParse({
    name: input.name,
    type: input.type,
    baseUrl: input.baseUrl,
    models: input.models,
    enabled: input.enabled,
    headers: Object.fromEntries(input.headers.map((h) => [h.name, h.value])),
    ...(input.timeouts && { timeouts: withoutNulls(input.timeouts) }),
  });
  if (!parsed.success) problems.unshift(...formatIssues(parsed.error.issues));
  if (problems.length || !parsed.success) throw GqlErrors.badUserInput(problems.join('; '));
  const channel = parsed.data;
  return {
    name: channel.name,
    type: channel.type,
    baseUrl: channel.baseUrl,
    models: channel.models,
    enabled: channel.enabled,
    headers: channel.headers ?? {},
    timeouts: channel.timeouts ?? {},
  };
}

/**
 * An API key as given: undefined leaves the stored one, null or "" removes it. Surrounding
 * whitespace (a pasted line break) is dropped; the message never repeats the key.
 */
export function parseApiKey(apiKey: string | null | undefined): string | null | undefined {
  if (apiKey === undefined) return undefined;
  const key = apiKey?.trim() ?? '';
  if (!key) return null;
  if (key.length > MAX_API_KEY_LENGTH) {
    throw GqlErrors.badUserInput(`apiKey: must be at most ${MAX_API_KEY_LENGTH} characters`);
  }
  // Control characters are exactly what this refuses.
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(key))
    throw GqlErrors.badUserInput('apiKey: must not contain spaces or control characters');
  return key;
}

function headerProblems(headers: readonly ChannelHeaderInput[]): string[] {
  const seen = new Set<string>();
  return headers.flatMap((header, i) => {
    const lower = header.name.toLowerCase();
    const problems: string[] = [];
    if (!HEADER_NAME.test(header.name))
      problems.push(`headers[${i}].name: '${header.name}' is not a valid header name`);
    else if (RESERVED_HEADERS.has(lower)) problems.push(`headers[${i}].name: '${header.name}' is set by the gateway`);
    else if (seen.has(lower)) problems.push(`headers[${i}].name: '${header.name}' is given twice`);
    // eslint-disable-next-line no-control-regex -- NUL and line breaks are exactly what this refuses.
    if (/[\r\n\x00]/.test(header.value)) problems.push(`headers[${i}].value: must not contain line breaks`);
    seen.add(lower);
    return problems;
  });
}

function withoutNulls(timeouts: ChannelTimeoutsInput | ChannelTimeouts): ChannelTimeouts {
  return Object.fromEntries(Object.entries(timeouts).filter(([, value]) => value !== null && value !== undefined));
}
