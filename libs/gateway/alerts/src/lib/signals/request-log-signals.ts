import type { AlertKind, AlertRule, RequestLogSignalRepository } from '@synapse/gateway/persistence';
import type { Verdict } from '../evaluation/verdict';
import { errorRateVerdict, noTrafficVerdict, percentileVerdict, spendChangeVerdict } from '../evaluation/verdicts';
import { windowOf, type RuleSignal } from './rule-signal';
import { WindowCounts } from './window-counts';

/**
 * Error rate, no traffic and spend change: counts of the request log over the rule's window, its
 * settled minutes read once (WindowCounts).
 */
export class TrafficSignal implements RuleSignal {
  readonly kinds: readonly AlertKind[] = ['error_rate', 'no_traffic', 'spend_change'];
  private readonly windows: WindowCounts;

  constructor(logs: RequestLogSignalRepository) {
    this.windows = new WindowCounts(logs);
  }

  async evaluate(rule: AlertRule, now: Date): Promise<Verdict> {
    const window = windowOf(rule, now);
    const current = await this.windows.counts(rule.id, window, now);
    if (rule.kind !== 'spend_change') {
      this.windows.forget(rule.id, window, window.since);
      return rule.kind === 'no_traffic' ? noTrafficVerdict(rule, current.count) : errorRateVerdict(rule, current);
    }
    const before = windowOf(rule, now, 1);
    const previous = await this.windows.counts(rule.id, before, now);
    this.windows.forget(rule.id, before, before.since);
    return spendChangeVerdict(rule, current.costUsd, previous.costUsd);
  }

  retain(rules: readonly AlertRule[]): void {
    this.windows.retain(rules.filter((rule) => this.kinds.includes(rule.kind)));
  }
}

/** Latency and time to first token: a percentile computed by the database over the window. */
export class PercentileSignal implements RuleSignal {
  readonly kinds = ['latency', 'ttft'] as const;

  constructor(private readonly logs: RequestLogSignalRepository) {}

  async evaluate(rule: AlertRule, now: Date): Promise<Verdict> {
    const window = windowOf(rule, now);
    const column = rule.kind === 'ttft' ? 'ttft' : 'latency';
    const fraction = (rule.percentile ?? 95) / 100;
    const { value, count } = await this.logs.percentile(window, column, fraction);
    // Only streamed calls have a ttft: minRequests counts the calls that were measured.
    return percentileVerdict(rule, column === 'ttft' ? 'time to first token' : 'latency', value, count);
  }
}
