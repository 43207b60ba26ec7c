import { bucketIndex } from './latency-histogram';
import {
  decodeAggregate,
  emptyAggregate,
  encodeAggregate,
  mergeAggregate,
  statsOf,
  type LiveSample,
} from './live-aggregate';
import { LiveWindow, OTHER_VALUE } from './live-window';

function sample(overrides: Partial<LiveSample> = {}): LiveSample {
  return {
    requestedModel: 'gpt-4o-mini',
    channelId: 'ch-1',
    routeName: 'gpt-4o-mini',
    keyId: 'key-1',
    userId: 'user-1',
    teamId: null,
    status: 200,
    latencyMs: 120,
    ttftMs: null,
    completionTokens: null,
    ...overrides,
  };
}

const T0 = 1_700_000_000_000 - (1_700_000_000_000 % 10_000);

describe(LiveWindow.name, () => {
  it('counts calls per value of each dimension, and skips dimensions a call has no value for', () => {
    const window = new LiveWindow();
    window.record(sample(), T0);
    window.record(sample({ keyId: 'key-2', userId: 'user-2', teamId: 'team-a' }), T0 + 1_000);
    window.record(sample({ requestedModel: 'gpt-4o', status: 502 }), T0 + 2_000);

    const models = window.collect('model', 60_000, T0 + 3_000);
    expect(models.get('gpt-4o-mini')?.count).toBe(2);
    expect(models.get('gpt-4o')).toMatchObject({ count: 1, errors: 1 });
    expect(window.collect('key', 60_000, T0 + 3_000).get('key-1')?.count).toBe(2);
    const teams = window.collect('team', 60_000, T0 + 3_000);
    expect([...teams.keys()]).toEqual(['team-a']);
  });

  it('reads only the slots that overlap the window, and forgets what is older than it keeps', () => {
    const window = new LiveWindow({ slotMs: 10_000, retainMs: 15 * 60_000 });
    window.record(sample(), T0);
    window.record(sample(), T0 + 4 * 60_000);
    const now = T0 + 4 * 60_000 + 5_000;
    expect(window.collect('model', 60_000, now).get('gpt-4o-mini')?.count).toBe(1);
    expect(window.collect('model', 5 * 60_000, now).get('gpt-4o-mini')?.count).toBe(2);
    // 91 slots later the ring position of T0 is reused: the old slot is gone even for a longer look.
    window.record(sample(), T0 + 910_000);
    expect(window.collect('model', 60 * 60_000, T0 + 910_000).get('gpt-4o-mini')?.count).toBe(2);
    expect(window.collect('model', 15 * 60_000, T0 + 20 * 60_000).get('gpt-4o-mini')?.count).toBe(1);
  });

  it('does not count the client hanging up as an error', () => {
    const window = new LiveWindow();
    window.record(sample({ status: 499 }), T0);
    window.record(sample({ status: 429 }), T0);
    window.record(sample({ status: 200 }), T0);
    const stats = statsOf(window.collect('model', 60_000, T0).get('gpt-4o-mini') ?? emptyAggregate());
    expect(stats).toMatchObject({ requests: 3, errors: 1 });
    expect(stats.errorRate).toBeCloseTo(1 / 3, 9);
  });

  it('derives percentiles, time to first token and output tokens per second', () => {
    const window = new LiveWindow();
    for (let i = 0; i < 90; i++) window.record(sample({ latencyMs: 80 }), T0);
    for (let i = 0; i < 10; i++) {
      window.record(sample({ latencyMs: 4_000, ttftMs: 400, completionTokens: 360 }), T0);
    }
    const stats = statsOf(window.collect('model', 60_000, T0).get('gpt-4o-mini') ?? emptyAggregate());
    expect(stats.latencyP50Ms).toBeGreaterThan(50);
    expect(stats.latencyP50Ms).toBeLessThanOrEqual(100);
    expect(stats.latencyP99Ms).toBeGreaterThan(3_000);
    expect(stats.latencyP99Ms).toBeLessThanOrEqual(5_000);
    expect(stats.ttftP50Ms).toBeGreaterThan(250);
    expect(stats.ttftP50Ms).toBeLessThanOrEqual(500);
    // 3,600 tokens over 10 × 3.6 s of generation.
    expect(stats.outputTokensPerSecond).toBeCloseTo(100, 6);
  });

  it('counts values past the cap under one bucket', () => {
    const window = new LiveWindow({ maxValuesPerSlot: 2 });
    for (const model of ['a', 'b', 'c', 'd']) window.record(sample({ requestedModel: model }), T0);
    const models = window.collect('model', 60_000, T0);
    expect([...models.keys()].sort()).toEqual([OTHER_VALUE, 'a', 'b'].sort());
    expect(models.get(OTHER_VALUE)?.count).toBe(2);
  });

  it('hands over each changed aggregate once, whole, and again after a failed write', () => {
    const window = new LiveWindow();
    window.record(sample(), T0);
    const first = window.changes();
    expect(first).toHaveLength(1);
    expect(first[0].start).toBe(T0);
    expect(first[0].changed.map(([dimension, value]) => `${dimension}=${value}`).sort()).toEqual(
      ['channel=ch-1', 'key=key-1', 'model=gpt-4o-mini', 'route=gpt-4o-mini', 'user=user-1'].sort(),
    );
    expect(window.changes()).toEqual([]);
    window.record(sample({ keyId: 'key-9', userId: null, channelId: null, routeName: null }), T0 + 10_000);
    const second = window.changes();
    expect(second.map((slot) => slot.start)).toEqual([T0 + 10_000]);
    expect(second[0].changed.find(([d]) => d === 'model')?.[2].count).toBe(2 - 1);
    window.unflushed(second);
    expect(window.changes().map((slot) => slot.changed.length)).toEqual([2]);
  });
});

describe('live aggregates', () => {
  it('merge by addition and survive their text form', () => {
    const window = new LiveWindow();
    window.record(sample({ latencyMs: 300, ttftMs: 90, completionTokens: 20 }), T0);
    window.record(sample({ status: 500, latencyMs: 12_000 }), T0);
    const aggregate = window.collect('model', 60_000, T0).get('gpt-4o-mini') ?? emptyAggregate();
    const text = encodeAggregate(aggregate);
    expect(decodeAggregate(text)).toEqual(aggregate);
    const doubled = mergeAggregate(
      mergeAggregate(emptyAggregate(), aggregate),
      decodeAggregate(text) ?? emptyAggregate(),
    );
    expect(doubled.count).toBe(4);
    expect(doubled.errors).toBe(2);
    expect(doubled.latency[bucketIndex(12_000)]).toBe(2);
    expect(doubled.ttft[bucketIndex(90)]).toBe(2);
    expect(decodeAggregate('1;2;3')).toBeNull();
    expect(decodeAggregate('x;0;0;0;;')).toBeNull();
  });
});
