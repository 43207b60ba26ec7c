import { formatSeconds, round, type Verdict } from './verdict';

/*
 * The judgement of each rule kind over numbers already measured: no I/O, no framework. The signal
 * sources (../signals) measure; these decide.
 */

export interface WindowRule {
  windowSeconds: number;
  threshold: number | null;
  minRequests: number;
}

/** Share of calls answered 5xx, in percent, against the threshold; no verdict under `minRequests` calls. */
export function errorRateVerdict(rule: WindowRule, counts: { count: number; errors: number }): Verdict {
  const window = formatSeconds(rule.windowSeconds);
  if (counts.count === 0 || counts.count < rule.minRequests) {
    return {
      breached: false,
      value: null,
      summary: `${counts.count} calls in ${window}, fewer than ${Math.max(rule.minRequests, 1)}: no error rate`,
    };
  }
  const rate = (counts.errors / counts.count) * 100;
  const breached = rate >= (rule.threshold ?? Infinity);
  return {
    breached,
    value: round(rate),
    summary: `error rate ${round(rate)}% ${breached ? '≥' : '<'} ${rule.threshold}% (${counts.errors} of ${counts.count} calls in ${window})`,
  };
}

/** A latency or ttft percentile in ms against the threshold; no verdict under `minRequests` measured calls. */
export function percentileVerdict(
  rule: WindowRule & { percentile: number | null },
  measure: 'latency' | 'time to first token',
  value: number | null,
  count: number,
): Verdict {
  const window = formatSeconds(rule.windowSeconds);
  const name = `p${rule.percentile} ${measure}`;
  if (value === null || count < rule.minRequests) {
    return { breached: false, value: null, summary: `${count} measured calls in ${window}: no ${name}` };
  }
  const breached = value >= (rule.threshold ?? Infinity);
  return {
    breached,
    value: round(value),
    summary: `${name} ${Math.round(value)} ms ${breached ? '≥' : '<'} ${rule.threshold} ms (${count} calls in ${window})`,
  };
}

/** No call at all in the window. */
export function noTrafficVerdict(rule: { windowSeconds: number }, count: number): Verdict {
  const window = formatSeconds(rule.windowSeconds);
  return count === 0
    ? { breached: true, value: 0, summary: `no calls in the last ${window}` }
    : { breached: false, value: count, summary: `${count} calls in the last ${window}` };
}

/**
 * Spend of the window against the window before it, as a percent increase. A previous period with
 * no spend gives no verdict: any spend would be an infinite increase.
 */
export function spendChangeVerdict(
  rule: { windowSeconds: number; threshold: number | null },
  current: number,
  previous: number,
): Verdict {
  const window = formatSeconds(rule.windowSeconds);
  const usd = (value: number) => `$${value.toFixed(4)}`;
  if (previous <= 0) {
    return {
      breached: false,
      value: null,
      summary: `spend ${usd(current)} in the last ${window}, nothing in the ${window} before`,
    };
  }
  const change = ((current - previous) / previous) * 100;
  const breached = change >= (rule.threshold ?? Infinity);
  return {
    breached,
    value: round(change),
    summary: `spend ${usd(current)} in the last ${window} is ${change >= 0 ? '+' : ''}${round(change)}% against ${usd(previous)} the ${window} before (threshold +${rule.threshold}%)`,
  };
}

export interface BudgetUse {
  /** `key ci`, `team research`, … */
  name: string;
  spentUsd: number;
  budgetUsd: number;
}

/** The most used budget of the scope, in percent, against the threshold. */
export function budgetVerdict(
  rule: { threshold: number | null; budgetPeriod: 'day' | 'month' | null },
  uses: readonly BudgetUse[],
): Verdict {
  const period = rule.budgetPeriod === 'month' ? 'monthly' : 'daily';
  const measured = uses
    .filter((use) => use.budgetUsd > 0)
    .map((use) => ({ ...use, percent: (use.spentUsd / use.budgetUsd) * 100 }));
  if (measured.length === 0) return { breached: false, value: null, summary: `no ${period} budget in scope` };
  const top = measured.reduce((a, b) => (b.percent > a.percent ? b : a));
  const over = measured.filter((use) => use.percent >= (rule.threshold ?? Infinity));
  const breached = over.length > 0;
  const who = breached
    ? over.map((use) => `${use.name} ${round(use.percent)}%`).join(', ')
    : `${top.name} ${round(top.percent)}%`;
  return {
    breached,
    value: round(top.percent),
    summary: `${period} budget used ${breached ? '≥' : '<'} ${rule.threshold}%: ${who} (of $${top.budgetUsd} for ${top.name})`,
  };
}

export interface TargetHealth {
  /** `channel/model` as operators see it. */
  name: string;
  /** `circuit open`, `health check failing (status_503)`, …; null when healthy. */
  problem: string | null;
}

/** Any target in scope with its circuit open or its channel failing health checks. */
export function channelHealthVerdict(targets: readonly TargetHealth[]): Verdict {
  const sick = targets.filter((target) => target.problem !== null);
  if (targets.length === 0) return { breached: false, value: null, summary: 'no routing target in scope' };
  return sick.length
    ? {
        breached: true,
        value: sick.length,
        summary: `${sick.length} of ${targets.length} targets unhealthy: ${sick.map((t) => `${t.name} (${t.problem})`).join(', ')}`,
      }
    : { breached: false, value: 0, summary: `all ${targets.length} targets healthy` };
}
