import type { AlertRule, AlertState } from '@synapse/gateway/persistence';

/** A long window is looked at again once it has moved by this share of itself. */
const WINDOW_SHARE = 1 / 60;
/** Windows up to an hour are evaluated every round. */
const LONG_WINDOW_S = 3_600;
/**
 * The kinds whose value is a sum, a ratio or a percentile over the window's log rows: it moves
 * slowly on a long window. `no_traffic` flips with a single call, so it is looked at every round.
 */
const SUMMED_KINDS: ReadonlySet<AlertRule['kind']> = new Set(['error_rate', 'latency', 'ttft', 'spend_change']);

type PeriodRule = Pick<AlertRule, 'kind' | 'windowSeconds'>;

/**
 * How often a rule is evaluated: every round (`intervalMs`), or, for a summed kind over a window
 * longer than an hour, once the window has moved by a sixtieth of itself (a day: every 24
 * minutes). Each evaluation reads the window's log rows: a day's `spend_change` evaluated every
 * 30 s read each row of its two days 5,760 times a day; a sixtieth bounds that to 120, and the
 * window's sums move by under 2 % between two looks.
 */
export function evaluationPeriodMs(rule: PeriodRule, intervalMs: number): number {
  if (!SUMMED_KINDS.has(rule.kind) || rule.windowSeconds <= LONG_WINDOW_S) return intervalMs;
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
