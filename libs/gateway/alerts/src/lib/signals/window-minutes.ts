import type { SignalWindow } from '@synapse/gateway/persistence';
import type { KeptMemory } from './kept-memory';

const MINUTE_MS = 60_000;
/**
 * How long after a minute its calls that lasted under LONG_CALL_MS are taken as all written.
 * Calls are logged when they end, a batch later, and stamped with their start: a minute is kept
 * with its short calls only, and its long calls (rows that may arrive later) are read each round.
 * A short call's row may so be written up to SETTLE_MS - LONG_CALL_MS (a minute) after it ended.
 */
export const SETTLE_MS = 5 * MINUTE_MS;
/** Windows with fewer settled minutes than this are read whole: there is nothing to save. */
const MIN_KEPT_MINUTES = 2;
/**
 * Every REREAD_EVERY_MS a rule's kept minutes of the last REREAD_SPAN_MS are read again: a short
 * call whose row came later than SETTLE_MS (kept in memory or spilled to disk while the store was
 * down, written on its return) is counted within 15 minutes if it came less than 45 minutes late.
 */
export const REREAD_EVERY_MS = 15 * MINUTE_MS;
export const REREAD_SPAN_MS = 60 * MINUTE_MS;

/**
 * What is measured over the log, and how minutes of it add up: `Kept` is what a minute keeps
 * (compact, never changed once read), `Sum` what a window adds up to.
 */
export interface MinuteMeasure<Kept, Sum> {
  /** What a minute without calls keeps. */
  readonly empty: Kept;
  /** A new empty sum, that `add` fills. */
  zero(): Sum;
  /** Adds `from` into `into`; `from` is left as it was. */
  add(into: Sum, from: Kept): void;
  /**
   * Takes `from` (added before) out of `into`, and `copy` copies a sum. With both, a window's sum
   * of kept minutes is carried from one evaluation to the next and moved by the minutes that
   * left and joined it, instead of being added up again from every minute: a day of a
   * percentile's minutes took ~20 ms to merge. Without, it is added up at each evaluation.
   */
  subtract?(into: Sum, from: Kept): void;
  copy?(sum: Sum): Sum;
  /** About how much memory a kept minute holds, for measures whose minutes can be large (KeptMemory). */
  bytes?(kept: Kept): number;
  /** The measure of each minute of the window that has calls (of the window's `duration`). */
  perMinute(window: SignalWindow): Promise<{ minute: Date; value: Kept }[]>;
  /** The measure of the window as one (its edges, its long calls). */
  whole(window: SignalWindow): Promise<Kept>;
}

/**
 * A measure of a window of the request log, read once per settled minute. Every evaluation of a
 * 1 h rule used to read the hour's rows; now it reads the edges of the window (the part of a
 * minute at its start, and the last five minutes and more that are not settled yet), the
 * minutes that settled since the last evaluation (their short calls), and the long calls of the
 * settled part (a partial index holds them), and takes the rest from what it kept.
 *
 * Kept per rule and scope, for as long as the evaluator keeps the rule (`retain`); only the
 * replica that evaluates keeps anything, and a replica taking over reads the window once. With a
 * `memory` bound, a rule whose minutes would pass it reads its window whole instead, until rules
 * are removed or changed.
 */
export class WindowMinutes<Kept, Sum> {
  /** Per rule and scope: what it keeps. */
  private readonly rules = new Map<string, KeptWindow<Kept, Sum>>();
  /** Rules and scopes that did not fit in `memory`: they read their windows whole. */
  private readonly unkept = new Set<string>();

  constructor(
    private readonly measure: MinuteMeasure<Kept, Sum>,
    private readonly memory?: KeptMemory,
  ) {}

  /** Whether the rule keeps minutes of this window; if not, it reads it whole. */
  keeps(ruleId: string, window: SignalWindow, now: Date): boolean {
    if (this.unkept.has(keyOf(ruleId, window))) return false;
    const { firstMinute, settledEnd } = spans(window, now);
    return settledEnd - firstMinute >= MIN_KEPT_MINUTES * MINUTE_MS;
  }

  /** The measure of `window`, keeping its settled minutes under the rule's id. */
  async read(ruleId: string, window: SignalWindow, now: Date): Promise<Sum> {
    if (!this.keeps(ruleId, window, now)) return this.readWhole(window);
    const { firstMinute, settledEnd } = spans(window, now);
    const key = keyOf(ruleId, window);
    const rule = this.keptWindow(key);
    this.forgetRecent(rule, firstMinute, now.getTime());
    if (!(await this.readMissing(key, ruleId, rule.minutes, window, firstMinute, settledEnd))) {
      return this.readWhole(window);
    }
    const sum = this.sumOf(rule, firstMinute, settledEnd);
    const settled = { scope: window.scope, since: new Date(firstMinute), until: new Date(settledEnd) };
    this.measure.add(sum, await this.measure.whole({ ...settled, duration: 'long' }));
    if (window.since.getTime() < firstMinute) {
      this.measure.add(sum, await this.measure.whole({ ...window, until: new Date(firstMinute) }));
    }
    if (settledEnd < window.until.getTime()) {
      this.measure.add(sum, await this.measure.whole({ ...window, since: new Date(settledEnd) }));
    }
    return sum;
  }

  /** Drops the minutes of a rule before `before`: the oldest minute its next evaluation can read. */
  forget(ruleId: string, window: Pick<SignalWindow, 'scope'>, before: Date): void {
    const minutes = this.rules.get(keyOf(ruleId, window))?.minutes;
    if (!minutes) return;
    let freed = 0;
    for (const [minute, value] of minutes) {
      if (minute >= before.getTime()) continue;
      minutes.delete(minute);
      freed += this.bytesOf(value);
    }
    this.memory?.release(freed);
  }

  /**
   * Keeps the minutes of these rules (as they are now: a changed scope starts again) and drops the
   * rest. When that frees memory, the rules that did not fit try again.
   */
  retain(rules: readonly { id: string; scope: SignalWindow['scope'] }[]): void {
    const keys = new Set(rules.map((rule) => keyOf(rule.id, rule)));
    let dropped = false;
    for (const key of this.rules.keys()) {
      if (keys.has(key)) continue;
      this.drop(key);
      dropped = true;
    }
    for (const key of this.unkept) if (dropped || !keys.has(key)) this.unkept.delete(key);
  }

  private async readWhole(window: SignalWindow): Promise<Sum> {
    const sum = this.measure.zero();
    this.measure.add(sum, await this.measure.whole(window));
    return sum;
  }

  /**
   * Reads the settled minutes of [from, to) that are not kept yet, in one query, and keeps them;
   * false when they do not fit in `memory` (the rule's minutes are dropped then).
   */
  private async readMissing(
    key: string,
    ruleId: string,
    minutes: Map<number, Kept>,
    window: SignalWindow,
    from: number,
    to: number,
  ): Promise<boolean> {
    let missingFrom = Infinity;
    let missingTo = -Infinity;
    for (let minute = from; minute < to; minute += MINUTE_MS) {
      if (minutes.has(minute)) continue;
      missingFrom = Math.min(missingFrom, minute);
      missingTo = minute + MINUTE_MS;
    }
    if (missingFrom < missingTo) {
      const read = await this.measure.perMinute({
        scope: window.scope,
        since: new Date(missingFrom),
        until: new Date(missingTo),
        duration: 'short',
      });
      // A minute kept already between missing ones stays as it was: the carried sum holds it.
      const fresh = read.filter(({ minute }) => !minutes.has(minute.getTime()));
      let bytes = 0;
      for (const { value } of fresh) bytes += this.bytesOf(value);
      if (this.memory && bytes > 0 && !this.memory.take(bytes, ruleId)) {
        this.drop(key);
        this.unkept.add(key);
        return false;
      }
      for (const { minute, value } of fresh) minutes.set(minute.getTime(), value);
      // A minute without calls is kept as empty, so that it is not read again.
      for (let minute = missingFrom; minute < missingTo; minute += MINUTE_MS) {
        if (!minutes.has(minute)) minutes.set(minute, this.measure.empty);
      }
    }
    return true;
  }

  /** Every REREAD_EVERY_MS, forgets the rule's kept minutes of the last REREAD_SPAN_MS, so that they are read again. */
  private forgetRecent(rule: KeptWindow<Kept, Sum>, firstMinute: number, now: number): void {
    const last = rule.readAt;
    if (last !== undefined && now - last < REREAD_EVERY_MS) return;
    rule.readAt = now;
    if (last === undefined) return;
    const from = Math.max(firstMinute, floorMinute(now - REREAD_SPAN_MS));
    const { minutes } = rule;
    let freed = 0;
    for (const [minute, value] of minutes) {
      if (minute < from) continue;
      minutes.delete(minute);
      freed += this.bytesOf(value);
    }
    if (freed > 0) this.memory?.release(freed);
    // The carried sum holds them: it is added up again from the minutes.
    rule.carried = undefined;
  }

  /** Forgets every minute of a rule and scope, and what was carried from them; gives their memory back. */
  private drop(key: string): void {
    const rule = this.rules.get(key);
    this.rules.delete(key);
    if (!rule || !this.memory) return;
    let bytes = 0;
    for (const value of rule.minutes.values()) bytes += this.bytesOf(value);
    this.memory.release(bytes);
  }

  private bytesOf(kept: Kept): number {
    return this.memory && this.measure.bytes ? this.measure.bytes(kept) : 0;
  }

  /** The sum of the kept minutes [from, to), as a new sum the caller may add to. */
  private sumOf(rule: KeptWindow<Kept, Sum>, from: number, to: number): Sum {
    const { minutes } = rule;
    const { subtract, copy } = this.measure;
    if (!subtract || !copy) {
      const sum = this.measure.zero();
      for (let minute = from; minute < to; minute += MINUTE_MS) this.measure.add(sum, keptMinute(minutes, minute));
      return sum;
    }
    let carried = rule.carried;
    // A window that grew or went back (a changed rule, a clock set back), or whose minutes that
    // left it are no longer kept (it was read whole meanwhile), is added up again.
    if (!carried || from < carried.from || to < carried.to || carried.to < from || !kept(minutes, carried.from, from)) {
      carried = rule.carried = { from, to: from, sum: this.measure.zero() };
    }
    for (; carried.from < from; carried.from += MINUTE_MS) subtract(carried.sum, keptMinute(minutes, carried.from));
    for (; carried.to < to; carried.to += MINUTE_MS) this.measure.add(carried.sum, keptMinute(minutes, carried.to));
    return copy(carried.sum);
  }

  private keptWindow(key: string): KeptWindow<Kept, Sum> {
    let rule = this.rules.get(key);
    if (!rule) this.rules.set(key, (rule = { minutes: new Map() }));
    return rule;
  }
}

/** What one rule and scope keeps. */
interface KeptWindow<Kept, Sum> {
  /** Its settled minutes read so far, by the minute's start (ms). */
  minutes: Map<number, Kept>;
  /**
   * The sum of its kept minutes [from, to) at its last evaluation, for measures that subtract
   * (one window a rule: the percentiles').
   */
  carried?: { from: number; to: number; sum: Sum };
  /** When its recent minutes were last read (REREAD_EVERY_MS). */
  readAt?: number;
}

/** The window's first whole minute, and the end of its settled minutes. */
function spans(window: SignalWindow, now: Date) {
  const firstMinute = Math.ceil(window.since.getTime() / MINUTE_MS) * MINUTE_MS;
  const settledEnd = Math.min(floorMinute(now.getTime() - SETTLE_MS), floorMinute(window.until.getTime()));
  return { firstMinute, settledEnd };
}

/** Whether every minute of [from, to) is kept. */
function kept(minutes: Map<number, unknown>, from: number, to: number): boolean {
  for (let minute = from; minute < to; minute += MINUTE_MS) if (!minutes.has(minute)) return false;
  return true;
}

/** A kept minute: every minute of a sum's range is read before it is added. */
function keptMinute<Kept>(minutes: Map<number, Kept>, minute: number): Kept {
  const value = minutes.get(minute);
  if (value === undefined) throw new Error(`minute ${new Date(minute).toISOString()} was not kept`);
  return value;
}

function keyOf(ruleId: string, { scope }: Pick<SignalWindow, 'scope'>): string {
  return `${ruleId}\u0000${scope.kind}\u0000${scope.value ?? ''}`;
}

function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}
