import { Injectable } from '@nestjs/common';
import { scopeName, UsageLimiter, type ScopeKind } from '@synapse/gateway/proxy';
import type { KeyLimits } from '../limits/limits.model';
import type { Spend } from './models/spend.model';

/**
 * Reads spend from the UsageLimiter (in memory, or Redis shared by all replicas): the counters the
 * budgets are checked against, not a sum over the request log. The limiter counts spend only for
 * scopes with a budget, so a scope without one has no spend to show.
 */
@Injectable()
export class SpendService {
  constructor(private readonly limiter: UsageLimiter) {}

  async of(kind: ScopeKind, id: string, limits: KeyLimits | null): Promise<Spend | null> {
    if (limits?.dailyBudgetUsd == null && limits?.monthlyBudgetUsd == null) return null;
    const spent = await this.limiter.spend(scopeName(kind, id), Date.now());
    return { todayUsd: spent.dayMicroUsd / 1_000_000, monthUsd: spent.monthMicroUsd / 1_000_000 };
  }
}
