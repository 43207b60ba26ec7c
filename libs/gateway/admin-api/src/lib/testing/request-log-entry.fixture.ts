import type { RequestLogEntry } from '@synapse/gateway/persistence';

let sequence = 0;

/** A finished call's log entry, as the proxy records it: a 200 from gpt-4o-mini unless told otherwise. */
export function requestLogEntry(overrides: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    id: `req-${++sequence}`,
    createdAt: new Date(),
    endpoint: 'chat.completions',
    keyId: 'key-1',
    userId: 'id-member',
    teamId: null,
    requestedModel: 'gpt-4o-mini',
    routeName: 'gpt-4o-mini',
    channelId: 'ch-1',
    upstreamModel: 'gpt-4o-mini',
    attempts: 1,
    stream: false,
    status: 200,
    latencyMs: 42,
    ttftMs: null,
    promptTokens: 3,
    completionTokens: 5,
    totalTokens: 8,
    usageSource: 'upstream',
    costUsd: null,
    errorClass: null,
    errorMessage: null,
    ...overrides,
  };
}
