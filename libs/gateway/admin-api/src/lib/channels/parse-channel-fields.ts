import { GqlErrors } from '@synapse/gateway/auth';
import {
  API_KEY,
  API_KEY_PROBLEM,
  channelHeaderProblems,
  channelSchema,
  formatIssues,
  type ChannelType,
} from '@synapse/gateway/config';
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

// Headers are checked here, by position: the file's schema sees them as a record, by name.
const fieldsSchema = channelSchema.omit({ apiKey: true, headers: true });
const MAX_API_KEY_LENGTH = 4096;

/**
 * Checks a channel with the config file's own schema and header rules, so that both name the same
 * mistake the same way (`baseUrl: must be an http(s) URL`); headers by their position here.
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
    headers: Object.fromEntries(input.headers.map((h) => [h.name, h.value])),
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
  if (!API_KEY.test(key)) throw GqlErrors.badUserInput(`apiKey: ${API_KEY_PROBLEM}`);
  return key;
}

function headerProblems(headers: readonly ChannelHeaderInput[]): string[] {
  return channelHeaderProblems(headers.map((h) => [h.name, h.value] as const)).map(({ index, name, field, message }) =>
    field === 'name' ? `headers[${index}].name: '${name}' ${message}` : `headers[${index}].value: ${message}`,
  );
}

function withoutNulls(timeouts: ChannelTimeoutsInput | ChannelTimeouts): ChannelTimeouts {
  return Object.fromEntries(Object.entries(timeouts).filter(([, value]) => value !== null && value !== undefined));
}
