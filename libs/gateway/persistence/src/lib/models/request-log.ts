import type { Endpoint } from '@synapse/endpoints';

/** Request headers kept on a log row, by lower-case name: a bounded, credential-free selection. */
export type RequestHeaders = Record<string, string>;

/** One proxied call, written after the fact in batches. */
export interface RequestLogEntry {
  /** The request id returned to the caller in `x-request-id`. */
  id: string;
  createdAt: Date;
  endpoint: Endpoint;
  keyId: string | null;
  userId: string | null;
  /** The team the key belongs to, when it belongs to one (the user's teams do not count). */
  teamId?: string | null;
  requestedModel: string | null;
  /** The route that served (a fallback's name when a fallback did). */
  routeName: string | null;
  channelId: string | null;
  upstreamModel: string | null;
  /** Upstream attempts made, retries and fallbacks included. */
  attempts: number | null;
  stream: boolean;
  status: number;
  latencyMs: number;
  /** Time to the first streamed byte; null for non-streaming calls. */
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  totalTokens: number | null;
  /** Prompt tokens the upstream served from its prompt cache (`prompt_tokens_details.cached_tokens`). */
  cachedTokens?: number | null;
  /**
   * Seconds of audio the call was billed by: whisper's reported length, else the uploaded file's or
   * the speech relayed, as the gateway measured them (whole, rounded up); null for other calls.
   */
  audioSeconds?: number | null;
  /** Where the token counts came from: the upstream's usage, or the gateway's own tokenizer. */
  usageSource: 'upstream' | 'tokenizer' | null;
  /** What the call cost in USD at the configured model prices; null when unpriced or without usage. */
  costUsd: number | null;
  /** A stable class such as `upstream_timeout` or `invalid_api_key`; null on success. */
  errorClass: string | null;
  errorMessage: string | null;
  /** The wire format the caller spoke, e.g. `anthropic` for `/v1/messages`; null for OpenAI's. */
  ingressFormat?: string | null;
  /** The caller's headers that identify its client and SDK (never credentials); null when none or before 0017. */
  requestHeaders?: RequestHeaders | null;
}

/** Length of the log's model and route name columns (0001): PostgreSQL refuses a longer value. */
export const LOG_NAME_MAX_CHARS = 200;

/**
 * The entry with its model and route names cut to their columns. A caller chooses the model name:
 * uncut, a long one failed its row on PostgreSQL, and the call went unlogged and unbilled in the
 * usage reports. Both stores keep the same cut text. (A NUL, which PostgreSQL's text refuses, is
 * its client's affair: nul-safe-pg-client.ts.)
 */
export function withLogNamesCut(entry: RequestLogEntry): RequestLogEntry {
  const { requestedModel, upstreamModel, routeName } = entry;
  if (!isLong(requestedModel) && !isLong(upstreamModel) && !isLong(routeName)) return entry;
  return {
    ...entry,
    requestedModel: cut(requestedModel),
    upstreamModel: cut(upstreamModel),
    routeName: cut(routeName),
  };
}

function isLong(name: string | null): boolean {
  return name !== null && name.length > LOG_NAME_MAX_CHARS;
}

function cut(name: string | null): string | null {
  return isLong(name) ? (name as string).slice(0, LOG_NAME_MAX_CHARS) : name;
}
