import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RedisReachability } from '@synapse/gateway/cluster';
import { Errors } from '@synapse/gateway/errors';
import type { LimitScope } from './limit-scope';
import { countRequests } from './request-limit';
import { ALLOWED, limiterCounts, type CallUsage, type LimitVerdict, UsageLimiter } from './usage-limiter';

export { RPM_THROTTLER } from './request-limit';

/** The suffix of the token counts' own requests-per-minute counters. */
const TOKEN_COUNTS = ':token-counts';

/** A call let in: its scopes, the budget it reserved, and the verdict (where it was counted). */
export interface Admission {
  scopes: readonly LimitScope[];
  reservedMicroUsd: number;
  verdict: LimitVerdict;
}

/**
 * Admits a /v1 call under every scope's limits. Requests per minute are counted where ThrottlerGuard
 * counts the admin routes (one request-limit store); tokens, requests in flight and budgets by the
 * UsageLimiter. A call refused by the limiter still used its request. With Redis, the limiter's
 * script counts the requests too, into the ThrottlerStorage's keys: one round trip for all limits.
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
    this.refuseWhileRedisDown();
    if (this.limiter.countsRequests) {
      const limited = scopes.filter((scope) => scope.limits.rpm !== undefined || limiterCounts(scope));
      return limited.length > 0 ? this.limiter.begin(limited, estimatedTokens, now, reserveMicroUsd, true) : ALLOWED;
    }
    const refused = await countRequests(this.requests, scopes);
    if (!refused.allowed) return refused;
    const counted = scopes.filter(limiterCounts);
    return counted.length > 0 ? this.limiter.begin(counted, estimatedTokens, now, reserveMicroUsd) : ALLOWED;
  }

  /**
   * A token count (`/v1/messages/count_tokens`) against each scope's requests per minute, on a
   * counter of its own: counting is free and uses no call, but a key may not count without bound
   * (the count may go to the channel's upstream, whose own limits the other keys share).
   */
  async admitTokenCount(scopes: readonly LimitScope[]): Promise<LimitVerdict> {
    this.refuseWhileRedisDown();
    return countRequests(this.requests, scopes, TOKEN_COUNTS);
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

  /** With LIMITS_WHEN_REDIS_DOWN=closed, nothing is let in while Redis is unreachable. */
  private refuseWhileRedisDown(): void {
    if (this.closedWhenDown && !this.closedWhenDown.up) throw Errors.limitsUnavailable();
  }
}
