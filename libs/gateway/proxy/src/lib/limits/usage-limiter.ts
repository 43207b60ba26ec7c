import type { LimitScope } from './limit-scope';

export type LimitKind = 'requests' | 'tokens' | 'concurrency' | 'daily_budget' | 'monthly_budget';

/** Whether a call may start under the limits of all its scopes; if not, which scope's limit and when to retry. */
export type LimitVerdict =
  /** `local`: admitted on this replica's own counters while the shared ones (Redis) were unreachable. */
  | { allowed: true; local?: true }
  | { allowed: false; scope: LimitScope; kind: LimitKind; limit: number; retryAfterSeconds: number };

export const ALLOWED: LimitVerdict = { allowed: true };
export const ALLOWED_LOCALLY: LimitVerdict = { allowed: true, local: true };

/** What a finished call used: tokens for tpm, cost (whole micro-USD, null when unpriced) for budgets. */
export interface CallUsage {
  tokens: number;
  costMicroUsd: number | null;
}

/** Micro-USD spent by one scope in the current UTC day and month. */
export interface Spend {
  dayMicroUsd: number;
  monthMicroUsd: number;
}

/**
 * Tokens per minute (fixed one-minute windows), requests in flight and spend budgets (UTC day and
 * month) of every scope a call is counted against, checked and counted together: one scope over
 * its limit refuses the call for all. Requests per minute are counted in the ThrottlerStorage (see
 * LimitGate). In process for one replica; in Redis, so that all replicas enforce one limit together.
 */
export abstract class UsageLimiter {
  /**
   * Counts the call in flight if every scope allows it; `estimatedTokens` is checked against tpm.
   * `reserveMicroUsd`, the most the call can cost, must fit in what is left of each budget and is
   * counted as spent at once, so that calls running together cannot overspend it.
   */
  abstract begin(
    scopes: readonly LimitScope[],
    estimatedTokens: number,
    now: number,
    reserveMicroUsd?: number,
    countRequests?: boolean,
  ): Promise<LimitVerdict>;
  /**
   * Whether `begin(…, countRequests = true)` also counts requests per minute (`limits.rpm`) into the
   * ThrottlerStorage's counters, so that one round trip admits a call. Asked per call: a failover
   * limiter does it only while its shared store is reachable.
   */
  get countsRequests(): boolean {
    return false;
  }
  /** The call is over: frees its in-flight slots (where `admission`, begin's verdict, counted them). */
  abstract end(scopes: readonly LimitScope[], admission?: LimitVerdict): void;
  /** Charges what the call really used, once known, in place of what `begin` reserved for it. */
  abstract charge(
    scopes: readonly LimitScope[],
    usage: CallUsage,
    now: number,
    reservedMicroUsd?: number,
    admission?: LimitVerdict,
  ): void;
  /** Spend so far of a scope (by name); counted only while the scope has a budget. */
  abstract spend(scopeName: string, now: number): Promise<Spend>;
  /** Sets a scope's spend for the current periods unless it is already counted (start-up, from the request log). */
  abstract seed(scopeName: string, spent: Spend, now: number): Promise<void>;
}

export const WINDOW_MS = 60_000;

export function windowOf(now: number): number {
  return Math.floor(now / WINDOW_MS);
}

export function secondsToNextWindow(now: number): number {
  return Math.max(1, Math.ceil((WINDOW_MS - (now % WINDOW_MS)) / 1000));
}

/** Micro-USD of a budget in USD. */
export function budgetMicroUsd(usd: number | undefined): number {
  return usd === undefined ? 0 : Math.round(usd * 1_000_000);
}

/** Whether spending `reserve` more keeps `spent` within `budget` (0: no budget); a spent budget admits nothing. */
export function fitsBudget(spent: number, reserve: number, budget: number): boolean {
  return budget === 0 || (spent < budget && spent + reserve <= budget);
}

/** Whether the limiter has anything to check or count for the scope. */
export function limiterCounts(scope: LimitScope): boolean {
  const l = scope.limits;
  return (
    l.tpm !== undefined ||
    l.concurrency !== undefined ||
    l.dailyBudgetUsd !== undefined ||
    l.monthlyBudgetUsd !== undefined
  );
}
