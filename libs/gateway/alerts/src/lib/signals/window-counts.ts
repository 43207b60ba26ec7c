import type { RequestLogSignalRepository, SignalWindow, TrafficCounts } from '@synapse/gateway/persistence';

const MINUTE_MS = 60_000;
/**
 * How long after a minute its log rows are taken as all written. Calls are logged when they end
 * and stamped with their start, a batch later: a call that ends more than this after it started
 * is missed by the minutes already kept (the usage rollup's default lag is the same).
 */
export const SETTLE_MS = 5 * MINUTE_MS;
/** Windows with fewer settled minutes than this are read whole: there is nothing to save. */
const MIN_KEPT_MINUTES = 2;

const ZERO: TrafficCounts = { count: 0, errors: 0, costUsd: 0 };

/**
 * The counts of a window of the request log, read once per settled minute. Every evaluation of a
 * 1 h error rate used to read the hour's rows; now it reads the edges of the window (the part
 * of a minute at its start, and the last five minutes and more that are not settled yet) and the
 * minutes that settled since the last evaluation, and takes the rest from what it kept.
 *
 * Kept per rule and scope, for as long as the evaluator keeps the rule (`retain`); only the
 * replica that evaluates keeps anything, and a replica taking over reads the window once.
 */
export class WindowCounts {
  private readonly kept = new Map<string, Map<number, TrafficCounts>>();

  constructor(private readonly logs: RequestLogSignalRepository) {}

  /** The counts of `window`, keeping its settled minutes under the rule's id. */
  async counts(ruleId: string, window: SignalWindow, now: Date): Promise<TrafficCounts> {
    const since = window.since.getTime();
    const until = window.until.getTime();
    const firstMinute = Math.ceil(since / MINUTE_MS) * MINUTE_MS;
    const settledEnd = Math.min(floorMinute(now.getTime() - SETTLE_MS), floorMinute(until));
    if (settledEnd - firstMinute < MIN_KEPT_MINUTES * MINUTE_MS) return this.logs.counts(window);

    const minutes = this.minutesOf(keyOf(ruleId, window));
    const parts = [await this.keptMinutes(minutes, window, firstMinute, settledEnd)];
    if (since < firstMinute) parts.push(await this.logs.counts({ ...window, until: new Date(firstMinute) }));
    if (settledEnd < until) parts.push(await this.logs.counts({ ...window, since: new Date(settledEnd) }));
    return parts.reduce(addCounts, ZERO);
  }

  /** Drops the minutes of a rule before `before`: the oldest minute its next evaluation can read. */
  forget(ruleId: string, window: Pick<SignalWindow, 'scope'>, before: Date): void {
    const minutes = this.kept.get(keyOf(ruleId, window));
    if (!minutes) return;
    for (const minute of minutes.keys()) if (minute < before.getTime()) minutes.delete(minute);
  }

  /** Keeps the minutes of these rules (as they are now: a changed scope starts again) and drops the rest. */
  retain(rules: readonly { id: string; scope: SignalWindow['scope'] }[]): void {
    const keys = new Set(rules.map((rule) => keyOf(rule.id, rule)));
    for (const key of this.kept.keys()) if (!keys.has(key)) this.kept.delete(key);
  }

  /** The sum of the settled minutes [from, to), the ones not kept yet read in one query. */
  private async keptMinutes(
    minutes: Map<number, TrafficCounts>,
    window: SignalWindow,
    from: number,
    to: number,
  ): Promise<TrafficCounts> {
    let missingFrom = Infinity;
    let missingTo = -Infinity;
    for (let minute = from; minute < to; minute += MINUTE_MS) {
      if (minutes.has(minute)) continue;
      missingFrom = Math.min(missingFrom, minute);
      missingTo = minute + MINUTE_MS;
    }
    if (missingFrom < missingTo) {
      const read = await this.logs.countsPerMinute({
        scope: window.scope,
        since: new Date(missingFrom),
        until: new Date(missingTo),
      });
      // A minute without calls is kept as zero, so that it is not read again.
      for (let minute = missingFrom; minute < missingTo; minute += MINUTE_MS) minutes.set(minute, ZERO);
      for (const { minute, ...counts } of read) minutes.set(minute.getTime(), counts);
    }
    let sum = ZERO;
    for (let minute = from; minute < to; minute += MINUTE_MS) sum = addCounts(sum, minutes.get(minute) ?? ZERO);
    return sum;
  }

  private minutesOf(key: string): Map<number, TrafficCounts> {
    let minutes = this.kept.get(key);
    if (!minutes) this.kept.set(key, (minutes = new Map()));
    return minutes;
  }
}

function keyOf(ruleId: string, { scope }: Pick<SignalWindow, 'scope'>): string {
  return `${ruleId}\u0000${scope.kind}\u0000${scope.value ?? ''}`;
}

function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

function addCounts(a: TrafficCounts, b: TrafficCounts): TrafficCounts {
  return { count: a.count + b.count, errors: a.errors + b.errors, costUsd: a.costUsd + b.costUsd };
}
