import type { ThrottlerStorage } from '@nestjs/throttler';
import type { LimitScope } from './limit-scope';
import { ALLOWED, WINDOW_MS, type LimitVerdict } from './usage-limiter';

/** The throttler name of /v1 requests-per-minute counters in the shared ThrottlerStorage. */
export const RPM_THROTTLER = 'rpm';

/**
 * Counts the call against every scope's requests per minute in the ThrottlerStorage (the store of
 * ThrottlerGuard too). Every scope counts it, refused or not; of several scopes over their limit,
 * the one that stays refused longest decides when to retry.
 */
export async function countRequests(
  storage: ThrottlerStorage,
  scopes: readonly LimitScope[],
  /** A counter of its own beside each scope's (token counts), or the scope's own. */
  counter = '',
): Promise<LimitVerdict> {
  const rpm = scopes.filter((scope) => scope.limits.rpm !== undefined);
  if (rpm.length === 0) return ALLOWED;
  const records = await Promise.all(
    rpm.map((scope) =>
      storage.increment(scope.name + counter, WINDOW_MS, scope.limits.rpm as number, 0, RPM_THROTTLER),
    ),
  );
  let refused: LimitVerdict = ALLOWED;
  records.forEach((record, i) => {
    if (record.isBlocked && (refused.allowed || record.timeToBlockExpire > refused.retryAfterSeconds)) {
      const scope = rpm[i];
      refused = {
        allowed: false,
        scope,
        kind: 'requests',
        limit: scope.limits.rpm as number,
        retryAfterSeconds: record.timeToBlockExpire,
      };
    }
  });
  return refused;
}
