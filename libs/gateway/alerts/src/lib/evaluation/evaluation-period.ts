import type { AlertRule, AlertState } from '@synapse/gateway/persistence';

/** A long window is looked at again once it has moved by this share of itself. */
const WINDOW_SHARE = 1 / 60;
/** Windows up to an hour are evaluated every round. */
const LONG_WINDOW_S = 3_600;
/**
 * The kinds whose value is a percentile: each evaluation of a long window merges the values its
 * minutes kept (WindowMinutes) on the event loop, ~20 ms for a day at 1,000 distinct values a
 * minute. Counts (error rate, spend, traffic) add up 1,440 numbers for a day and are looked at
 * every round.
 */
const PERCENTILE_KINDS: ReadonlySet<AlertRule['kind']> = new Set(['latency', 'ttft']);

type PeriodRule = Pick<AlertRule, 'kind' | 'windowSeconds'>;

/**
 * How often a rule is evaluated: every round (`intervalMs`), or, for a percentile over a window
 * longer than an hour, once the window has moved by a sixtieth of itself (a day: every 24
 * minutes). A day's p95 evaluated every 30 s would hold the event loop ~20 ms every round; a
 * sixtieth of the window makes that every 24 minutes, and the percentile of a window that moved
 * by under 2 % moves little.
 */
export function evaluationPeriodMs(rule: PeriodRule, intervalMs: number): number {
  if (!PERCENTILE_KINDS.has(rule.kind) || rule.windowSeconds <= LONG_WINDOW_S) return intervalMs;
  return Math.max(intervalMs, Math.round(rule.windowSeconds * 1000 * WINDOW_SHARE));
}

/**
 * Whether a round at `now` evaluates the rule: every round when its period is one round, else when
 * never evaluated or its period has passed (less half a round, for timers that drift).
 */
export function evaluationDue(
  rule: PeriodRule,
  state: Pick<AlertState, 'evaluatedAt'> | null,
  now: Date,
  intervalMs: number,
): boolean {
  const period = evaluationPeriodMs(rule, intervalMs);
  if (!state || period <= intervalMs) return true;
  const elapsed = now.getTime() - state.evaluatedAt.getTime();
  return elapsed < 0 || elapsed >= period - intervalMs / 2;
}
