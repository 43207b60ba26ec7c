import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RedisReachability } from '@synapse/gateway/cluster';
import type { LimitScope } from './limit-scope';
import { countRequests } from './request-limit';
import {
  ALLOWED_LOCALLY,
  limiterCounts,
  UsageLimiter,
  type CallUsage,
  type LimitVerdict,
  type Spend,
} from './usage-limiter';

/**
 * The shared (Redis) limiter while Redis is reachable, this replica's own counters while it is
 * not: calls keep flowing through an outage under per-replica limits (LIMITS_WHEN_REDIS_DOWN=open;
 * `closed` is decided before, in LimitGate). A call admitted locally is released and charged
 * locally too, so that neither side's counters drift when Redis comes back mid-call. Requests per
 * minute are counted by the shared script while Redis is up; when it fails, through `requests` (the
 * ThrottlerStorage, which falls back to this replica's counters itself).
 */
export class FailoverUsageLimiter extends UsageLimiter {
  private readonly logger = new Logger('Limits');
  private warned = false;

  constructor(
    private readonly shared: UsageLimiter,
    private readonly local: UsageLimiter,
    private readonly reachability: RedisReachability,
    private readonly requests: ThrottlerStorage,
  ) {
    super();
    reachability.onReturn(() => {
      this.warned = false;
      this.logger.log('Redis is back: limits are shared again');
    });
  }

  override get countsRequests(): boolean {
    return this.reachability.up && this.shared.countsRequests;
  }

  async begin(
    scopes: readonly LimitScope[],
    estimatedTokens: number,
    now: number,
    reserveMicroUsd = 0,
    withRequests = false,
  ): Promise<LimitVerdict> {
    if (this.reachability.up) {
      try {
        return await this.shared.begin(scopes, estimatedTokens, now, reserveMicroUsd, withRequests);
      } catch (error) {
        this.warnOnce(error);
      }
    } else {
      this.warnOnce();
    }
    if (withRequests) {
      const refused = await countRequests(this.requests, scopes);
      if (!refused.allowed) return refused;
    }
    const verdict = await this.local.begin(scopes.filter(limiterCounts), estimatedTokens, now, reserveMicroUsd);
    return verdict.allowed ? ALLOWED_LOCALLY : verdict;
  }

  end(scopes: readonly LimitScope[], admission?: LimitVerdict): void {
    this.pick(admission).end(scopes);
  }

  charge(
    scopes: readonly LimitScope[],
    usage: CallUsage,
    now: number,
    reservedMicroUsd = 0,
    admission?: LimitVerdict,
  ): void {
    this.pick(admission).charge(scopes, usage, now, reservedMicroUsd);
  }

  spend(scopeName: string, now: number): Promise<Spend> {
    return this.reachability.up ? this.shared.spend(scopeName, now) : this.local.spend(scopeName, now);
  }

  async seed(scopeName: string, spent: Spend, now: number): Promise<void> {
    // Both: the local counters start from the log too, should Redis go away later.
    await this.local.seed(scopeName, spent, now);
    if (this.reachability.up) await this.shared.seed(scopeName, spent, now);
  }

  private pick(admission: LimitVerdict | undefined): UsageLimiter {
    return admission?.allowed && admission.local ? this.local : this.shared;
  }

  private warnOnce(error?: unknown): void {
    if (this.warned) return;
    this.warned = true;
    const why = error ? `: ${(error as Error).message}` : '';
    this.logger.warn(`Redis is unreachable${why}; limits are counted on this replica alone until it is back`);
  }
}
