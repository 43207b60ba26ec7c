import type { AlertKind, AlertRule } from '@synapse/gateway/persistence';
import type { Verdict } from '../evaluation/verdict';

/** Measures what rules of some kinds watch, and judges it; one source per family of kinds. */
export interface RuleSignal {
  readonly kinds: readonly AlertKind[];
  evaluate(rule: AlertRule, now: Date): Promise<Verdict>;
  /** Told the enabled rules once a round: what a source keeps for other rules can go. */
  retain?(rules: readonly AlertRule[]): void;
}

/** The signal source of each rule kind: adding a kind is adding a source. */
export class RuleSignals {
  private readonly byKind = new Map<AlertKind, RuleSignal>();

  constructor(sources: readonly RuleSignal[]) {
    for (const source of sources) for (const kind of source.kinds) this.byKind.set(kind, source);
  }

  evaluate(rule: AlertRule, now: Date): Promise<Verdict> {
    const source = this.byKind.get(rule.kind);
    if (!source) throw new Error(`no signal for '${rule.kind}' rules`);
    return source.evaluate(rule, now);
  }

  retain(rules: readonly AlertRule[]): void {
    for (const source of new Set(this.byKind.values())) source.retain?.(rules);
  }
}

/** The window of the request log a rule reads, ending now. */
export function windowOf(rule: AlertRule, now: Date, periodsBack = 0) {
  const span = rule.windowSeconds * 1000;
  return {
    scope: rule.scope,
    since: new Date(now.getTime() - span * (periodsBack + 1)),
    until: new Date(now.getTime() - span * periodsBack),
  };
}
