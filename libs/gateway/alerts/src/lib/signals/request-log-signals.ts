import type { AlertRule, RequestLogSignalRepository } from '@synapse/gateway/persistence';
import type { Verdict } from '../evaluation/verdict';
import { errorRateVerdict, noTrafficVerdict, percentileVerdict, spendChangeVerdict } from '../evaluation/verdicts';
import { windowOf, type RuleSignal } from './rule-signal';

/** Error rate, no traffic and spend change: counts of the request log over the rule's window. */
export class TrafficSignal implements RuleSignal {
  readonly kinds = ['error_rate', 'no_traffic', 'spend_change'] as const;

  constructor(private readonly logs: RequestLogSignalRepository) {}

  async evaluate(rule: AlertRule, now: Date): Promise<Verdict> {
    const current = await this.logs.counts(windowOf(rule, now));
    if (rule.kind === 'no_traffic') return noTrafficVerdict(rule, current.count);
    if (rule.kind === 'error_rate') return errorRateVerdict(rule, current);
    const previous = await this.logs.counts(windowOf(rule, now, 1));
    return spendChangeVerdict(rule, current.costUsd, previous.costUsd);
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
