import {
  budgetVerdict,
  channelHealthVerdict,
  errorRateVerdict,
  noTrafficVerdict,
  percentileVerdict,
  spendChangeVerdict,
} from './verdicts';
import { formatSeconds } from './verdict';

const window = { windowSeconds: 300, minRequests: 10 };

describe('verdicts', () => {
  it('error rate: percent of 5xx calls, none under the minimum number of calls', () => {
    expect(errorRateVerdict({ ...window, threshold: 5 }, { count: 40, errors: 2 })).toEqual({
      breached: true,
      value: 5,
      summary: 'error rate 5% ≥ 5% (2 of 40 calls in 5m)',
    });
    expect(errorRateVerdict({ ...window, threshold: 5 }, { count: 40, errors: 1 })).toMatchObject({
      breached: false,
      value: 2.5,
    });
    expect(errorRateVerdict({ ...window, threshold: 5 }, { count: 9, errors: 9 })).toMatchObject({
      breached: false,
      value: null,
    });
    expect(errorRateVerdict({ ...window, minRequests: 0, threshold: 5 }, { count: 0, errors: 0 })).toMatchObject({
      breached: false,
      value: null,
    });
  });

  it('percentiles: at or over the threshold in ms', () => {
    const rule = { ...window, threshold: 800, percentile: 95 };
    expect(percentileVerdict(rule, 'latency', 812.4, 50)).toEqual({
      breached: true,
      value: 812.4,
      summary: 'p95 latency 812 ms ≥ 800 ms (50 calls in 5m)',
    });
    expect(percentileVerdict(rule, 'time to first token', 120, 50)).toMatchObject({ breached: false, value: 120 });
    expect(percentileVerdict(rule, 'latency', null, 0)).toMatchObject({ breached: false, value: null });
    expect(percentileVerdict(rule, 'latency', 5000, 3)).toMatchObject({ breached: false, value: null });
  });

  it('no traffic: breached only by an empty window', () => {
    expect(noTrafficVerdict({ windowSeconds: 3600 }, 0)).toEqual({
      breached: true,
      value: 0,
      summary: 'no calls in the last 1h',
    });
    expect(noTrafficVerdict({ windowSeconds: 3600 }, 3)).toMatchObject({ breached: false, value: 3 });
  });

  it('spend change: percent increase against the previous window, none without previous spend', () => {
    expect(spendChangeVerdict({ windowSeconds: 86_400, threshold: 50 }, 3, 2)).toMatchObject({
      breached: true,
      value: 50,
    });
    expect(spendChangeVerdict({ windowSeconds: 86_400, threshold: 50 }, 2.9, 2)).toMatchObject({
      breached: false,
      value: 45,
    });
    expect(spendChangeVerdict({ windowSeconds: 86_400, threshold: 50 }, 1, 2)).toMatchObject({
      breached: false,
      value: -50,
    });
    expect(spendChangeVerdict({ windowSeconds: 86_400, threshold: 50 }, 5, 0)).toMatchObject({
      breached: false,
      value: null,
    });
  });

  it('budget: the most used budget in scope, naming every one over the threshold', () => {
    const verdict = budgetVerdict({ threshold: 80, budgetPeriod: 'day' }, [
      { name: 'key ci', spentUsd: 9, budgetUsd: 10 },
      { name: 'team research', spentUsd: 85, budgetUsd: 100 },
      { name: 'key idle', spentUsd: 0, budgetUsd: 5 },
    ]);
    expect(verdict).toMatchObject({ breached: true, value: 90 });
    expect(verdict.summary).toContain('key ci 90%, team research 85%');
    expect(
      budgetVerdict({ threshold: 80, budgetPeriod: 'month' }, [{ name: 'key ci', spentUsd: 1, budgetUsd: 10 }]),
    ).toMatchObject({
      breached: false,
      value: 10,
    });
    expect(budgetVerdict({ threshold: 80, budgetPeriod: 'day' }, [])).toMatchObject({ breached: false, value: null });
  });

  it('channel health: breached by any target with a problem', () => {
    expect(
      channelHealthVerdict([
        { name: 'openai/gpt-4o', problem: 'circuit open' },
        { name: 'azure/gpt-4o', problem: null },
      ]),
    ).toEqual({ breached: true, value: 1, summary: '1 of 2 targets unhealthy: openai/gpt-4o (circuit open)' });
    expect(channelHealthVerdict([{ name: 'azure/gpt-4o', problem: null }])).toMatchObject({
      breached: false,
      value: 0,
    });
    expect(channelHealthVerdict([])).toMatchObject({ breached: false, value: null });
  });

  it('formats durations', () => {
    expect([45, 60, 300, 3600, 86_400, 90].map(formatSeconds)).toEqual(['45s', '1m', '5m', '1h', '1d', '90s']);
  });
});
