import type { RequestLogEntry } from '@synapse/gateway/persistence';

/**
 * Request-log rows with varied keys, users, teams, channels, models, statuses and latencies,
 * spread over [from, from + spanMs), the same for the same seed: for rollup tests and benches.
 */
export function syntheticLogs(count: number, from: Date, spanMs: number, seed = 1): RequestLogEntry[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: cheap, deterministic, good enough to spread test data.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)];
  const models = ['gpt-4o', 'gpt-4o-mini', 'claude-3-5-sonnet', 'text-embedding-3-small', '=cmd|evil'];
  return Array.from({ length: count }, (_, i) => {
    const key = Math.floor(next() * 6);
    const stream = next() < 0.5;
    const status = next() < 0.1 ? pick([400, 429, 502]) : 200;
    const latencyMs = Math.floor(next() * 5_000);
    const ttftMs = stream ? Math.floor(latencyMs * next()) : null;
    const promptTokens = status === 200 ? Math.floor(next() * 2_000) : null;
    const completionTokens = status === 200 ? Math.floor(next() * 500) : null;
    return {
      id: `syn_${seed}_${i}`,
      createdAt: new Date(from.getTime() + Math.floor(next() * spanMs)),
      endpoint: 'chat.completions',
      keyId: key === 5 ? null : `key-${key}`,
      userId: key < 3 ? `user-${key % 2}` : null,
      teamId: key === 3 || key === 4 ? 'team-a' : null,
      requestedModel: key === 5 && next() < 0.5 ? null : pick(models),
      routeName: null,
      channelId: status === 400 ? null : pick(['ch-1', 'ch-2']),
      upstreamModel: 'upstream-model',
      attempts: 1,
      stream,
      status,
      latencyMs,
      ttftMs,
      promptTokens,
      completionTokens,
      totalTokens: promptTokens === null ? null : promptTokens + (completionTokens ?? 0),
      cachedTokens: promptTokens === null ? null : Math.floor(promptTokens * next() * 0.5),
      usageSource: promptTokens === null ? null : 'upstream',
      costUsd: promptTokens === null ? null : Math.round(next() * 1e6) / 1e8,
      errorClass: status === 200 ? null : 'upstream_error',
      errorMessage: null,
    } satisfies RequestLogEntry;
  });
}
