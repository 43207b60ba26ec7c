import { bucketIndex } from '@synapse/metrics';
import type { UsageSourceGroup, UsageSourceRow } from './models/usage-rollup';
import { zeroUsageSums } from './usage-sums';

const MINUTE_MS = 60_000;

/**
 * Request-log rows summed into the groups `UsageRollupRepository.sourceGroups` answers with. The
 * SQL stores sum in the database (`usage-source-query.ts`); this is the same sum in code, for the
 * store kept in memory, and the contract specs hold both to the same answers.
 */
export function groupUsageSource(rows: readonly UsageSourceRow[]): UsageSourceGroup[] {
  const groups = new Map<string, UsageSourceGroup>();
  for (const row of rows) {
    const minute = row.createdAt.getTime() - (row.createdAt.getTime() % MINUTE_MS);
    const model = row.requestedModel ?? row.upstreamModel ?? '';
    const latencyBucket = bucketIndex(row.latencyMs);
    const key = [minute, row.keyId, row.userId, row.teamId, row.channelId, model, latencyBucket].join('\u0000');
    let group = groups.get(key);
    if (!group) {
      group = {
        minute: new Date(minute),
        keyId: row.keyId,
        userId: row.userId,
        teamId: row.teamId,
        channelId: row.channelId,
        model,
        latencyBucket,
        ...zeroUsageSums(),
      };
      groups.set(key, group);
    }
    group.requests++;
    if (row.status >= 400) group.errors++;
    group.promptTokens += row.promptTokens ?? 0;
    group.completionTokens += row.completionTokens ?? 0;
    group.cachedTokens += row.cachedTokens ?? 0;
    group.costUsd += row.costUsd ?? 0;
    group.latencySumMs += row.latencyMs;
    if (row.ttftMs !== null) {
      group.ttftSumMs += row.ttftMs;
      group.ttftCount++;
      // A stream that produced output: the time after its first token is generation time.
      if ((row.completionTokens ?? 0) > 0) {
        group.generationMs += Math.max(0, row.latencyMs - row.ttftMs);
        group.generationTokens += row.completionTokens ?? 0;
      }
    }
  }
  return [...groups.values()];
}
