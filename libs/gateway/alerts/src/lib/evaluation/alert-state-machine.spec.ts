import type { AlertState } from '@synapse/gateway/persistence';
import { isNotified, nextAlertState, type RuleTiming } from './alert-state-machine';
import type { Verdict } from './verdict';

const T0 = new Date('2026-05-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const breached: Verdict = { breached: true, value: 12, summary: 'error rate 12% ≥ 5%' };
const fine: Verdict = { breached: false, value: 1, summary: 'error rate 1% < 5%' };

/** Runs the verdicts one per `step` seconds and returns the events, as the evaluator would write them. */
function run(
  verdicts: Verdict[],
  timing: RuleTiming,
  step = 10,
): { events: (string | null)[]; state: AlertState | null } {
  let state: AlertState | null = null;
  const events: (string | null)[] = [];
  verdicts.forEach((verdict, i) => {
    const { next, event } = nextAlertState('r1', state, verdict, timing, at(i * step));
    expect(next.version).toBe((state?.version ?? 0) + 1);
    state = next;
    events.push(event);
  });
  return { events, state };
}

describe(nextAlertState.name, () => {
  it('fires at once without a `for` duration and resolves when the condition is gone', () => {
    const { events, state } = run([fine, breached, breached, fine, fine], { forSeconds: 0, repeatIntervalSeconds: 0 });
    expect(events).toEqual([null, 'firing', null, 'resolved', null]);
    expect(state).toMatchObject({ status: 'resolved', firedAt: at(10), resolvedAt: at(30), value: 1 });
  });

  it('stays pending until the condition has held for `for`, and drops back when it stops earlier', () => {
    const timing = { forSeconds: 25, repeatIntervalSeconds: 0 };
    expect(run([breached, breached, fine, breached], timing).events).toEqual(['pending', null, null, 'pending']);
    const held = run([breached, breached, breached, breached], timing);
    // Pending from 0 s; 30 s ≥ 25 s at the fourth evaluation.
    expect(held.events).toEqual(['pending', null, null, 'firing']);
    expect(held.state).toMatchObject({ status: 'firing', since: at(0), firedAt: at(30), lastNotifiedAt: at(30) });
  });

  it('repeats a firing alert every repeat interval, never between', () => {
    const { events } = run(Array(8).fill(breached), { forSeconds: 0, repeatIntervalSeconds: 30 });
    expect(events).toEqual(['firing', null, null, 'repeat', null, null, 'repeat', null]);
  });

  it('fires again after a resolve', () => {
    const { events } = run([breached, fine, breached], { forSeconds: 0, repeatIntervalSeconds: 0 });
    expect(events).toEqual(['firing', 'resolved', 'firing']);
  });

  it('notifies firing, repeat and resolved, not pending', () => {
    expect(['firing', 'repeat', 'resolved', 'pending', null].map((e) => isNotified(e as never))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
