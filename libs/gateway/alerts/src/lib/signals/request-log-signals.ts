import type { AlertKind, AlertRule, RequestLogSignalRepository, TrafficCounts } from '@synapse/gateway/persistence';
import type { Verdict } from '../evaluation/verdict';
import { errorRateVerdict, noTrafficVerdict, percentileVerdict, spendChangeVerdict } from '../evaluation/verdicts';
import type { KeptMemory } from './kept-memory';
import { trafficMeasure, valueMeasure } from './minute-measures';
import { windowOf, type RuleSignal } from './rule-signal';
import type { PackedValues, ValueTally } from './value-counts';
import { WindowMinutes } from './window-minutes';

/**
 * Error rate, no traffic and spend change: counts of the request log over the rule's window, its
 * settled minutes read once (WindowMinutes).
 */
export class TrafficSignal implements RuleSignal {
  readonly kinds: readonly AlertKind[] = ['error_rate', 'no_traffic', 'spend_change'];
  private readonly windows: WindowMinutes<TrafficCounts, TrafficCounts>;

  constructor(logs: RequestLogSignalRepository) {
    this.windows = new WindowMinutes(trafficMeasure(logs));
  }

  async evaluate(rule: AlertRule, now: Date): Promise<Verdict> {
    const window = windowOf(rule, now);
    const current = await this.windows.read(rule.id, window, now);
    if (rule.kind !== 'spend_change') {
      this.windows.forget(rule.id, window, window.since);
      return rule.kind === 'no_traffic' ? noTrafficVerdict(rule, current.count) : errorRateVerdict(rule, current);
    }
    const before = windowOf(rule, now, 1);
    const previous = await this.windows.read(rule.id, before, now);
    this.windows.forget(rule.id, before, before.since);
    return spendChangeVerdict(rule, current.costUsd, previous.costUsd);
  }

  retain(rules: readonly AlertRule[]): void {
    this.windows.retain(rules.filter((rule) => this.kinds.includes(rule.kind)));
  }
}

/**
 * Latency and time to first token: a percentile over the window. A window short enough to be read
 * whole gets the store's exact percentile; a longer one keeps each settled minute's values,
 * rounded to three significant digits, and gets a percentile within 0.5 % of the exact one, as
 * long as they fit in `memory`.
 */
export class PercentileSignal implements RuleSignal {
  readonly kinds: readonly AlertKind[] = ['latency', 'ttft'];
  private readonly windows: Record<'latency' | 'ttft', WindowMinutes<PackedValues, ValueTally>>;

  constructor(
    private readonly logs: RequestLogSignalRepository,
    memory?: KeptMemory,
  ) {
    this.windows = {
      latency: new WindowMinutes(valueMeasure(logs, 'latency'), memory),
      ttft: new WindowMinutes(valueMeasure(logs, 'ttft'), memory),
    };
  }

  async evaluate(rule: AlertRule, now: Date): Promise<Verdict> {
    const window = windowOf(rule, now);
    const column = rule.kind === 'ttft' ? 'ttft' : 'latency';
    const fraction = (rule.percentile ?? 95) / 100;
    const minutes = this.windows[column];
    const { value, count } = minutes.keeps(rule.id, window, now)
      ? await minutes
          .read(rule.id, window, now)
          .then((tally) => ({ value: tally.percentile(fraction), count: tally.count }))
      : await this.logs.percentile(window, column, fraction);
    minutes.forget(rule.id, window, window.since);
    // Only streamed calls have a ttft: minRequests counts the calls that were measured.
    return percentileVerdict(rule, column === 'ttft' ? 'time to first token' : 'latency', value, count);
  }

  retain(rules: readonly AlertRule[]): void {
    this.windows.latency.retain(rules.filter((rule) => rule.kind === 'latency'));
    this.windows.ttft.retain(rules.filter((rule) => rule.kind === 'ttft'));
  }
}
