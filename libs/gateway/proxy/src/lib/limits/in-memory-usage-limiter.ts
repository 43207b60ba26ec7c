import { budgetPeriods, secondsUntil } from './budget-period';
import { hasBudget, type LimitScope } from './limit-scope';
import {
  ALLOWED,
  budgetMicroUsd,
  fitsBudget,
  secondsToNextWindow,
  UsageLimiter,
  windowOf,
  type CallUsage,
  type LimitVerdict,
  type Spend,
} from './usage-limiter';

interface Counters {
  window: number;
  tokens: number;
  inFlight: number;
  day: string;
  dayMicroUsd: number;
  month: string;
  monthMicroUsd: number;
}

/** Limits counted in this process: right for a single replica. */
export class InMemoryUsageLimiter extends UsageLimiter {
  private readonly counters = new Map<string, Counters>();

  async begin(
    scopes: readonly LimitScope[],
    estimatedTokens: number,
    now: number,
    reserveMicroUsd = 0,
  ): Promise<LimitVerdict> {
    // Check every scope before counting any: a refused call leaves no trace.
    for (const scope of scopes) {
      const verdict = this.check(scope, this.current(scope.name, now), estimatedTokens, reserveMicroUsd, now);
      if (!verdict.allowed) return verdict;
    }
    for (const scope of scopes) {
      const counters = this.current(scope.name, now);
      if (scope.limits.concurrency !== undefined) counters.inFlight++;
      if (reserveMicroUsd > 0 && hasBudget(scope.limits)) this.addSpend(counters, reserveMicroUsd);
    }
    return ALLOWED;
  }

  end(scopes: readonly LimitScope[]): void {
    for (const scope of scopes) {
      const counters = this.counters.get(scope.name);
      if (scope.limits.concurrency !== undefined && counters && counters.inFlight > 0) counters.inFlight--;
    }
  }

  charge(scopes: readonly LimitScope[], usage: CallUsage, now: number, reservedMicroUsd = 0): void {
    const owed = (usage.costMicroUsd ?? 0) - reservedMicroUsd;
    for (const scope of scopes) {
      const counters = this.current(scope.name, now);
      if (scope.limits.tpm !== undefined) counters.tokens += usage.tokens;
      if (owed !== 0 && hasBudget(scope.limits)) this.addSpend(counters, owed);
    }
  }

  private addSpend(counters: Counters, microUsd: number): void {
    counters.dayMicroUsd = Math.max(0, counters.dayMicroUsd + microUsd);
    counters.monthMicroUsd = Math.max(0, counters.monthMicroUsd + microUsd);
  }

  async spend(scopeName: string, now: number): Promise<Spend> {
    const { dayMicroUsd, monthMicroUsd } = this.current(scopeName, now);
    return { dayMicroUsd, monthMicroUsd };
  }

  async seed(scopeName: string, spent: Spend, now: number): Promise<void> {
    const counters = this.current(scopeName, now);
    if (counters.dayMicroUsd === 0) counters.dayMicroUsd = spent.dayMicroUsd;
    if (counters.monthMicroUsd === 0) counters.monthMicroUsd = spent.monthMicroUsd;
  }

  private check(
    scope: LimitScope,
    counters: Counters,
    estimatedTokens: number,
    reserveMicroUsd: number,
    now: number,
  ): LimitVerdict {
    const { tpm, concurrency, dailyBudgetUsd, monthlyBudgetUsd } = scope.limits;
    if (tpm !== undefined && counters.tokens + estimatedTokens > tpm) {
      return { allowed: false, scope, kind: 'tokens', limit: tpm, retryAfterSeconds: secondsToNextWindow(now) };
    }
    if (concurrency !== undefined && counters.inFlight >= concurrency) {
      return { allowed: false, scope, kind: 'concurrency', limit: concurrency, retryAfterSeconds: 1 };
    }
    if (!fitsBudget(counters.dayMicroUsd, reserveMicroUsd, budgetMicroUsd(dailyBudgetUsd))) {
      const retryAfterSeconds = secondsUntil(budgetPeriods(now).dayEndsAt, now);
      return { allowed: false, scope, kind: 'daily_budget', limit: dailyBudgetUsd ?? 0, retryAfterSeconds };
    }
    if (!fitsBudget(counters.monthMicroUsd, reserveMicroUsd, budgetMicroUsd(monthlyBudgetUsd))) {
      const retryAfterSeconds = secondsUntil(budgetPeriods(now).monthEndsAt, now);
      return { allowed: false, scope, kind: 'monthly_budget', limit: monthlyBudgetUsd ?? 0, retryAfterSeconds };
    }
    return ALLOWED;
  }

  private current(scopeName: string, now: number): Counters {
    const window = windowOf(now);
    let counters = this.counters.get(scopeName);
    if (!counters) {
      const periods = budgetPeriods(now);
      counters = {
        window,
        tokens: 0,
        inFlight: 0,
        day: periods.day,
        dayMicroUsd: 0,
        month: periods.month,
        monthMicroUsd: 0,
      };
      this.counters.set(scopeName, counters);
    } else if (counters.window !== window) {
      // A new minute: the rates start over, requests in flight stay; maybe a new day or month too.
      counters.window = window;
      counters.tokens = 0;
      const periods = budgetPeriods(now);
      if (counters.day !== periods.day) {
        counters.day = periods.day;
        counters.dayMicroUsd = 0;
      }
      if (counters.month !== periods.month) {
        counters.month = periods.month;
        counters.monthMicroUsd = 0;
      }
    }
    return counters;
  }
}
