import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RedisReachability } from '@synapse/gateway/cluster';
import { Errors } from '@synapse/gateway/errors';
import type { LimitScope } from './limit-scope';
import { ALLOWED, limiterCounts, WINDOW_MS, type CallUsage, type LimitVerdict, UsageLimiter } from './usage-limiter';

/** A call let in: its scopes, the budget it reserved, and the verdict (where it was counted). */
export interface Admission {
  scopes: readonly LimitScope[];
  reservedMicroUsd: number;
  verdict: LimitVerdict;
}

/** The throttler name of /v1 requests-per-minute counters in the shared ThrottlerStorage. */
export const RPM_THROTTLER = 'rpm';

/**
 * Admits a /v1 call under every scope's limits. Requests per minute go through the ThrottlerStorage
 * that also serves ThrottlerGuard on the admin routes (one request-limit store); tokens, requests in
 * flight and budgets through the UsageLimiter. A call refused by the limiter still used its request.
 */
export class LimitGate {
  constructor(
    private readonly requests: ThrottlerStorage,
    private readonly limiter: UsageLimiter,
    /** Set with LIMITS_WHEN_REDIS_DOWN=closed: calls with limits are refused while Redis is unreachable. */
    private readonly closedWhenDown?: RedisReachability,
  ) {}

  async admit(
    scopes: readonly LimitScope[],
    estimatedTokens: number,
    now: number,
    reserveMicroUsd = 0,
  ): Promise<LimitVerdict> {
    if (this.closedWhenDown && !this.closedWhenDown.up) throw Errors.limitsUnavailable();
    const rpm = scopes.filter((scope) => scope.limits.rpm !== undefined);
    if (rpm.length > 0) {
      const records = await Promise.all(
        rpm.map((scope) =>
          this.requests.increment(scope.name, WINDOW_MS, scope.limits.rpm as number, 0, RPM_THROTTLER),
        ),
      );
      let refused: LimitVerdict = ALLOWED;
      records.forEach((record, i) => {
        // Of several scopes over their limit, the one that stays refused longest decides when to retry.
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
      if (!refused.allowed) return refused;
    }
    const counted = scopes.filter(limiterCounts);
    return counted.length > 0 ? this.limiter.begin(counted, estimatedTokens, now, reserveMicroUsd) : ALLOWED;
  }

  /** The call is over: frees its in-flight slots where they were counted. */
  end(admission: Admission): void {
    this.limiter.end(admission.scopes, admission.verdict);
  }

  /** Charges what the call used, in place of the reservation it was admitted with. */
  charge(admission: Admission, usage: CallUsage, now: number): void {
    const { scopes, reservedMicroUsd, verdict } = admission;
    this.limiter.charge(scopes.filter(limiterCounts), usage, now, reservedMicroUsd, verdict);
  }
}
