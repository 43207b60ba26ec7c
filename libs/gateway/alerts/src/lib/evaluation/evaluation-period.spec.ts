import { evaluationDue, evaluationPeriodMs } from './evaluation-period';

const ROUND = 30_000;
const T0 = new Date('2030-03-01T12:00:00.000Z');
const after = (ms: number) => ({ evaluatedAt: new Date(T0.getTime() - ms) });

describe('alert evaluation period', () => {
  it('is one round up to an hour and for counts, a sixtieth of longer windows for percentiles', () => {
    expect(evaluationPeriodMs({ kind: 'latency', windowSeconds: 300 }, ROUND)).toBe(ROUND);
    expect(evaluationPeriodMs({ kind: 'latency', windowSeconds: 3_600 }, ROUND)).toBe(ROUND);
    expect(evaluationPeriodMs({ kind: 'ttft', windowSeconds: 7_200 }, ROUND)).toBe(120_000);
    expect(evaluationPeriodMs({ kind: 'latency', windowSeconds: 86_400 }, ROUND)).toBe(24 * 60_000);
    // Counts keep their settled minutes: a long window costs little more than a short one.
    expect(evaluationPeriodMs({ kind: 'spend_change', windowSeconds: 86_400 }, ROUND)).toBe(ROUND);
    expect(evaluationPeriodMs({ kind: 'error_rate', windowSeconds: 86_400 }, ROUND)).toBe(ROUND);
    expect(evaluationPeriodMs({ kind: 'no_traffic', windowSeconds: 86_400 }, ROUND)).toBe(ROUND);
    expect(evaluationPeriodMs({ kind: 'budget', windowSeconds: 86_400 }, ROUND)).toBe(ROUND);
    // A window of a day at 1 s rounds: every 24 minutes all the same.
    expect(evaluationPeriodMs({ kind: 'latency', windowSeconds: 86_400 }, 1_000)).toBe(24 * 60_000);
  });

  it('evaluates short windows every round, long ones once their period has passed', () => {
    const day = { kind: 'latency', windowSeconds: 86_400 } as const;
    expect(evaluationDue({ kind: 'latency', windowSeconds: 300 }, after(1), T0, ROUND)).toBe(true);
    expect(evaluationDue(day, null, T0, ROUND)).toBe(true);
    expect(evaluationDue(day, after(ROUND), T0, ROUND)).toBe(false);
    expect(evaluationDue(day, after(20 * 60_000), T0, ROUND)).toBe(false);
    // Half a round early still counts: timers drift, and the next round would be half a period late.
    expect(evaluationDue(day, after(24 * 60_000 - ROUND / 2), T0, ROUND)).toBe(true);
    expect(evaluationDue(day, after(24 * 60_000 - ROUND / 2 - 1), T0, ROUND)).toBe(false);
    // A clock that went back does not silence a rule.
    expect(evaluationDue(day, after(-60_000), T0, ROUND)).toBe(true);
  });
});
