import type { AlertEventType, AlertState } from '@synapse/gateway/persistence';
import type { Verdict } from './verdict';

export interface RuleTiming {
  forSeconds: number;
  repeatIntervalSeconds: number;
}

/** What one evaluation changes: the next state, and the event to record and notify (if any). */
export interface AlertStep {
  next: AlertState;
  /** Recorded with the change; `firing`, `repeat` and `resolved` are notified, `pending` is not. */
  event: AlertEventType | null;
}

const NOTIFIED: ReadonlySet<AlertEventType> = new Set(['firing', 'repeat', 'resolved']);

export function isNotified(event: AlertEventType | null): boolean {
  return event !== null && NOTIFIED.has(event);
}

/**
 * inactive → pending (condition holds, `for` not yet over) → firing → resolved (condition gone);
 * with `for` 0 the rule fires at once. A firing rule is notified again every repeat interval. The
 * result always carries `version + 1`: it is written by compare-and-set against `current.version`.
 */
export function nextAlertState(
  ruleId: string,
  current: AlertState | null,
  verdict: Verdict,
  timing: RuleTiming,
  now: Date,
): AlertStep {
  const state: AlertState = current ?? {
    ruleId,
    status: 'inactive',
    version: 0,
    since: null,
    firedAt: null,
    resolvedAt: null,
    lastNotifiedAt: null,
    value: null,
    summary: null,
    evaluatedAt: now,
  };
  const base: AlertState = {
    ...state,
    version: state.version + 1,
    value: verdict.value,
    summary: verdict.summary,
    evaluatedAt: now,
  };
  const elapsed = (since: Date | null) => (since ? (now.getTime() - since.getTime()) / 1000 : Infinity);
  const fire = (since: Date | null): AlertStep => ({
    next: { ...base, status: 'firing', since: since ?? now, firedAt: now, resolvedAt: null, lastNotifiedAt: now },
    event: 'firing',
  });

  switch (state.status) {
    case 'inactive':
    case 'resolved':
      if (!verdict.breached) return { next: base, event: null };
      if (timing.forSeconds === 0) return fire(now);
      return { next: { ...base, status: 'pending', since: now }, event: 'pending' };
    case 'pending':
      if (!verdict.breached) return { next: { ...base, status: 'inactive', since: null }, event: null };
      return elapsed(state.since) >= timing.forSeconds ? fire(state.since) : { next: base, event: null };
    case 'firing':
      if (!verdict.breached) {
        return { next: { ...base, status: 'resolved', since: null, resolvedAt: now }, event: 'resolved' };
      }
      if (timing.repeatIntervalSeconds > 0 && elapsed(state.lastNotifiedAt) >= timing.repeatIntervalSeconds) {
        return { next: { ...base, lastNotifiedAt: now }, event: 'repeat' };
      }
      return { next: base, event: null };
  }
}
