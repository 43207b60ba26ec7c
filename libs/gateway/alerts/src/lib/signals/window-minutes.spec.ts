import {
  TypeOrmRequestLogRepository,
  TypeOrmRequestLogSignalRepository,
  type AlertRule,
  type RequestLogEntry,
  type SignalWindow,
  type Store,
} from '@synapse/gateway/persistence';
import { queryPlan, SQL_STORES, type StoreHarness } from '@synapse/gateway/persistence/testing';
import { KeptMemory } from './kept-memory';
import { trafficMeasure, valueMeasure } from './minute-measures';
import { PercentileSignal } from './request-log-signals';
import { REREAD_EVERY_MS, REREAD_SPAN_MS, SETTLE_MS, WindowMinutes } from './window-minutes';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2031, 4, 1, 12, 0, 0);
const ALL = { kind: 'all', value: null } as const;

/**
 * The store's signals, with every window they were asked to read written down: `long` for a read
 * of the long calls alone (a partial index, not the window's rows).
 */
class RecordingSignals extends TypeOrmRequestLogSignalRepository {
  readonly reads: { kind: 'whole' | 'perMinute' | 'long'; window: SignalWindow }[] = [];

  override counts(window: SignalWindow) {
    this.reads.push({ kind: window.duration === 'long' ? 'long' : 'whole', window });
    return super.counts(window);
  }

  override countsPerMinute(window: SignalWindow) {
    this.reads.push({ kind: 'perMinute', window });
    return super.countsPerMinute(window);
  }

  override valueCountsPerMinute(window: SignalWindow, column: 'latency' | 'ttft') {
    this.reads.push({ kind: window.duration === 'long' ? 'long' : 'perMinute', window });
    return super.valueCountsPerMinute(window, column);
  }

  /** Minutes of log read since the last call, long calls aside. */
  readMinutes(): number {
    const ms = this.reads
      .filter(({ kind }) => kind !== 'long')
      .reduce((sum, { window }) => sum + window.until.getTime() - window.since.getTime(), 0);
    this.reads.length = 0;
    return ms / MINUTE;
  }
}

let sequence = 0;
function call(
  createdAt: number,
  status: number,
  costUsd: number | null,
  channelId = 'ch-a',
  latencyMs = 20,
): RequestLogEntry {
  return {
    id: `req_${String(++sequence).padStart(8, '0')}`,
    createdAt: new Date(createdAt),
    endpoint: 'chat.completions',
    keyId: null,
    userId: null,
    teamId: null,
    requestedModel: 'gpt-4o-mini',
    routeName: 'gpt-4o-mini',
    channelId,
    upstreamModel: 'gpt-4o-mini',
    attempts: 1,
    stream: false,
    status,
    latencyMs,
    ttftMs: null,
    promptTokens: null,
    completionTokens: null,
    totalTokens: null,
    usageSource: null,
    costUsd,
    errorClass: null,
    errorMessage: null,
  };
}

/** A seeded generator, so that a failure repeats. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe.each(SQL_STORES)(`${WindowMinutes.name} on %s`, (_name, makeHarness) => {
  let harness: StoreHarness;
  let store: Store;
  let logs: TypeOrmRequestLogRepository;
  let signals: RecordingSignals;

  beforeEach(async () => {
    harness = makeHarness();
    store = await harness.open();
    logs = new TypeOrmRequestLogRepository(store);
    signals = new RecordingSignals(store);
  });
  afterEach(async () => {
    await logs.close();
    await store.dataSource.destroy();
    await harness.cleanup();
  });

  const hourEndingAt = (now: number, scope: SignalWindow['scope'] = ALL): SignalWindow => ({
    scope,
    since: new Date(now - HOUR),
    until: new Date(now),
  });

  it('gives the counts of the whole window while the log grows, reading each settled minute once', async () => {
    const next = random(7);
    // Two hours of calls before the first evaluation, at odd milliseconds.
    const seeded: RequestLogEntry[] = [];
    for (let t = T0 - 2 * HOUR; t < T0; t += 1_000 + Math.floor(next() * 20_000)) {
      seeded.push(
        call(
          t,
          next() < 0.2 ? 502 : next() < 0.3 ? 429 : 200,
          next() < 0.2 ? null : 0.0001 * Math.ceil(next() * 90),
          next() < 0.5 ? 'ch-a' : 'ch-b',
        ),
      );
    }
    await logs.insertMany(seeded);
    const windows = new WindowMinutes(trafficMeasure(signals));

    // Every 30 s for 20 minutes, calls arrive stamped up to four minutes back (a call is logged when it ends).
    for (let now = T0 + 7_321; now < T0 + 20 * MINUTE; now += 30_000) {
      const arriving: RequestLogEntry[] = [];
      for (let i = 0; i < 12; i++)
        arriving.push(
          call(
            now - Math.floor(next() * (SETTLE_MS - MINUTE)),
            next() < 0.25 ? 503 : 200,
            0.0002,
            next() < 0.5 ? 'ch-a' : 'ch-b',
          ),
        );
      await logs.insertMany(arriving);

      for (const scope of [ALL, { kind: 'channel', value: 'ch-b' } as const]) {
        const window = hourEndingAt(now, scope);
        const kept = await windows.read(`rule-${scope.kind}`, window, new Date(now));
        signals.reads.length = 0;
        const whole = await signals.counts(window);
        expect(kept.count).toBe(whole.count);
        expect(kept.errors).toBe(whole.errors);
        expect(kept.costUsd).toBeCloseTo(whole.costUsd, 9);
        windows.forget(`rule-${scope.kind}`, window, window.since);
        signals.reads.length = 0;
      }
    }
  });

  it('reads the window once, then only its edges and the minutes that settled since', async () => {
    await logs.insertMany([call(T0 - 30 * MINUTE, 200, 0.5)]);
    const windows = new WindowMinutes(trafficMeasure(signals));

    const first = T0 + 15_000;
    expect((await windows.read('r', hourEndingAt(first), new Date(first))).count).toBe(1);
    expect(signals.reads.map((read) => read.kind)).toEqual(['perMinute', 'long', 'whole', 'whole']);
    expect(signals.readMinutes()).toBeCloseTo(60, 6);

    // 30 s on: the head's part minute, the unsettled tail (five minutes and the part one), and the minute that settled.
    const second = first + 30_000;
    expect((await windows.read('r', hourEndingAt(second), new Date(second))).count).toBe(1);
    expect(signals.readMinutes()).toBeLessThanOrEqual(1 + SETTLE_MS / MINUTE + 1 + 1);
    const perMinute = signals.reads.filter((read) => read.kind === 'perMinute');
    expect(perMinute.length).toBeLessThanOrEqual(1);

    // A minute without calls was kept as zero: the next look within the same minute reads no per-minute counts.
    signals.reads.length = 0;
    await windows.read('r', hourEndingAt(second + 5_000), new Date(second + 5_000));
    expect(signals.reads.filter((read) => read.kind === 'perMinute')).toEqual([]);
  });

  it('misses a short call written long after its minute was kept until the quarter-hourly re-read', async () => {
    const windows = new WindowMinutes(trafficMeasure(signals));
    const now = T0;
    expect((await windows.read('r', hourEndingAt(now), new Date(now))).count).toBe(0);
    // A 20 ms call whose row came ten minutes late (a store outage, a spill written on return).
    await logs.insertMany([call(now - 10 * MINUTE, 500, 1)]);
    expect((await windows.read('r', hourEndingAt(now + 1_000), new Date(now + 1_000))).count).toBe(0);
    // A rule it has not kept (or a changed scope) reads the minute, as does any window after `retain` dropped it.
    expect((await windows.read('other', hourEndingAt(now + 1_000), new Date(now + 1_000))).count).toBe(1);
    windows.retain([{ id: 'other', scope: ALL }]);
    expect((await windows.read('r', hourEndingAt(now + 2_000), new Date(now + 2_000))).count).toBe(1);

    // The rule that kept the minute counts the call at its re-read, REREAD_EVERY_MS after its first read.
    const rereadAt = now + 1_000 + REREAD_EVERY_MS;
    expect((await windows.read('other', hourEndingAt(rereadAt - 1_000), new Date(rereadAt - 1_000))).count).toBe(1);
    await logs.insertMany([call(now - 5 * MINUTE, 500, 1), call(now - 20 * MINUTE, 500, 1)]);
    expect((await windows.read('other', hourEndingAt(rereadAt - 500), new Date(rereadAt - 500))).count).toBe(1);
    signals.reads.length = 0;
    expect((await windows.read('other', hourEndingAt(rereadAt), new Date(rereadAt))).count).toBe(3);
    // It read the last REREAD_SPAN_MS of settled minutes again, in one query, and only then.
    const perMinute = signals.reads.filter((read) => read.kind === 'perMinute');
    expect(perMinute).toHaveLength(1);
    const firstMinute = Math.ceil((rereadAt - HOUR) / MINUTE) * MINUTE;
    expect(perMinute[0].window.since.getTime()).toBe(
      Math.max(firstMinute, Math.floor((rereadAt - REREAD_SPAN_MS) / MINUTE) * MINUTE),
    );
    expect(perMinute[0].window.until.getTime()).toBe(Math.floor((rereadAt - SETTLE_MS) / MINUTE) * MINUTE);
    signals.reads.length = 0;
    await windows.read('other', hourEndingAt(rereadAt + 60_000), new Date(rereadAt + 60_000));
    expect(signals.reads.filter((read) => read.kind === 'perMinute').length).toBeLessThanOrEqual(1);
    expect(signals.readMinutes()).toBeLessThanOrEqual(1 + SETTLE_MS / MINUTE + 1 + 1);
  });

  it('counts a long call whose row arrives after its minute was kept, and its latency in the percentile', async () => {
    const now = T0;
    const started = now - 20 * MINUTE;
    // Two short calls and a five-minute one, all logged before the minute is first read: each counted once.
    await logs.insertMany([
      call(started + 1_000, 200, 0.1, 'ch-a', 800),
      call(started + 2_000, 200, 0.1, 'ch-a', 900),
      call(started + 2_500, 200, 0.1, 'ch-a', 5 * MINUTE),
    ]);
    const traffic = new WindowMinutes(trafficMeasure(signals));
    const latency = new WindowMinutes(valueMeasure(signals, 'latency'));
    expect((await traffic.read('r', hourEndingAt(now), new Date(now))).count).toBe(3);
    expect((await latency.read('p', hourEndingAt(now), new Date(now))).percentile(0.5)).toBe(900);

    // A stream that started in that kept minute and ran for 12 minutes is logged now, with a 5xx.
    await logs.insertMany([call(started + 3_000, 502, 0.5, 'ch-a', 12 * MINUTE)]);
    const later = now + 30_000;
    signals.reads.length = 0;
    const counts = await traffic.read('r', hourEndingAt(later), new Date(later));
    const tally = await latency.read('p', hourEndingAt(later), new Date(later));
    // Long calls are read from their own index each round, not by reading the kept minutes again.
    expect(signals.reads.filter((read) => read.kind === 'long').map((read) => read.window.duration)).toEqual([
      'long',
      'long',
    ]);
    expect(signals.readMinutes()).toBeLessThanOrEqual(2 * (1 + SETTLE_MS / MINUTE + 1 + 1));
    expect(counts).toEqual(await signals.counts(hourEndingAt(later)));
    expect(counts.count).toBe(4);
    expect(counts.errors).toBe(1);
    expect(tally.count).toBe(4);
    expect(tally.percentile(1)).toBeCloseTo(12 * MINUTE, -4);
  });

  it('reads the long calls through their partial index', async () => {
    const logged = jest.spyOn(store.dataSource.logger, 'logQuery');
    await signals.counts({ ...hourEndingAt(T0, { kind: 'channel', value: 'ch-a' }), duration: 'long' });
    const [sql, params] = logged.mock.calls.at(-1) as [string, unknown[]];
    logged.mockRestore();
    expect(await queryPlan(store, sql, params)).toContain('idx_request_logs_long_calls');
  });

  it('gives a percentile of kept minutes within 0.5 % of the exact one, and exact below a second', async () => {
    const next = random(11);
    const latency = (): number => {
      const r = next();
      // Most calls under a second, a tail to two minutes.
      return r < 0.7
        ? Math.floor(next() * 999)
        : r < 0.95
          ? 1_000 + Math.floor(next() * 20_000)
          : Math.floor(next() * 120_000);
    };
    const seeded: RequestLogEntry[] = [];
    for (let t = T0 - 90 * MINUTE; t < T0 + 10 * MINUTE; t += 200 + Math.floor(next() * 2_000)) {
      seeded.push(call(t, 200, null, 'ch-a', latency()));
    }
    await logs.insertMany(seeded);
    const windows = new WindowMinutes(valueMeasure(signals, 'latency'));
    for (let now = T0 + 1_234; now < T0 + 10 * MINUTE; now += 45_000) {
      const window = hourEndingAt(now);
      const tally = await windows.read('p', window, new Date(now));
      for (const fraction of [0.5, 0.9, 0.95, 0.99, 1]) {
        const exact = await signals.percentile(window, 'latency', fraction);
        expect(tally.count).toBe(exact.count);
        const kept = tally.percentile(fraction) as number;
        expect(Math.abs(kept - (exact.value as number))).toBeLessThanOrEqual((exact.value as number) * 0.005);
      }
      windows.forget('p', window, window.since);
    }
    // All under a second: the same number as the store's.
    const fast = new WindowMinutes(valueMeasure(signals, 'latency'));
    await logs.insertMany([
      call(T0 - 50 * MINUTE, 200, null, 'ch-fast', 10),
      call(T0 - 40 * MINUTE, 200, null, 'ch-fast', 999),
    ]);
    await logs.insertMany([
      call(T0 - 20 * MINUTE, 200, null, 'ch-fast', 400),
      call(T0 - MINUTE, 200, null, 'ch-fast', 77),
    ]);
    const window = hourEndingAt(T0, { kind: 'channel', value: 'ch-fast' });
    for (const fraction of [0, 0.3, 0.5, 0.95, 1]) {
      const tally = await fast.read('f', window, new Date(T0));
      expect(tally.percentile(fraction)).toBeCloseTo(
        (await signals.percentile(window, 'latency', fraction)).value as number,
        9,
      );
    }
    // Only the edges are read again: the values of kept minutes are not.
    signals.reads.length = 0;
    await fast.read('f', hourEndingAt(T0 + 30_000, window.scope), new Date(T0 + 30_000));
    expect(signals.readMinutes()).toBeLessThanOrEqual(1 + SETTLE_MS / MINUTE + 1 + 1);
  });

  it('adds a carried percentile up again after a gap between evaluations or a longer window', async () => {
    const next = random(5);
    const seeded: RequestLogEntry[] = [];
    for (let t = T0 - 3 * HOUR; t < T0 + 3 * HOUR; t += 5_000 + Math.floor(next() * 20_000)) {
      seeded.push(call(t, 200, null, 'ch-a', Math.floor(next() * 5_000)));
    }
    await logs.insertMany(seeded);
    const windows = new WindowMinutes(valueMeasure(signals, 'latency'));
    const check = async (now: number, span: number) => {
      const window: SignalWindow = { scope: ALL, since: new Date(now - span), until: new Date(now) };
      const tally = await windows.read('p', window, new Date(now));
      const exact = await signals.percentile(window, 'latency', 0.9);
      expect(tally.count).toBe(exact.count);
      expect(Math.abs((tally.percentile(0.9) as number) - (exact.value as number))).toBeLessThanOrEqual(
        (exact.value as number) * 0.005,
      );
      windows.forget('p', window, window.since);
    };
    await check(T0, HOUR);
    await check(T0 + 30_000, HOUR);
    // The replica did not evaluate for two hours (another held the lock).
    await check(T0 + 2 * HOUR, HOUR);
    // The rule's window was made longer, then shorter.
    await check(T0 + 2 * HOUR + 30_000, 2 * HOUR);
    await check(T0 + 2 * HOUR + 60_000, 30 * MINUTE);
    // The clock went back by three minutes as the window was made shorter: it ends earlier.
    await check(T0 + 2 * HOUR - 2 * MINUTE, 20 * MINUTE);
    // Made short enough to be read whole (its kept minutes forgotten), then long again.
    await check(T0 + 2 * HOUR, 5 * MINUTE);
    await check(T0 + 2 * HOUR + 30_000, 20 * MINUTE);
    // Slow calls written late into minutes it kept: in the tally from the next re-read on.
    const at = T0 + 3 * HOUR;
    await check(at, HOUR);
    await logs.insertMany(
      Array.from({ length: 40 }, (_, i) => call(at - 20 * MINUTE + i * 1_000, 200, null, 'ch-a', 4_990)),
    );
    await check(at + REREAD_EVERY_MS, HOUR);
    await check(at + REREAD_EVERY_MS + 30_000, HOUR);
  });

  it('reads a short window whole, and a scope change starts again', async () => {
    await logs.insertMany([call(T0 - 2 * MINUTE, 200, 1, 'ch-a'), call(T0 - 20 * MINUTE, 200, 1, 'ch-b')]);
    const windows = new WindowMinutes(trafficMeasure(signals));
    const short: SignalWindow = { scope: ALL, since: new Date(T0 - 6 * MINUTE), until: new Date(T0) };
    expect((await windows.read('r', short, new Date(T0))).count).toBe(1);
    expect(signals.reads).toEqual([{ kind: 'whole', window: short }]);
    signals.reads.length = 0;

    expect((await windows.read('r', hourEndingAt(T0), new Date(T0))).count).toBe(2);
    windows.retain([{ id: 'r', scope: { kind: 'channel', value: 'ch-b' } }]);
    const channel = hourEndingAt(T0, { kind: 'channel', value: 'ch-b' });
    signals.reads.length = 0;
    expect((await windows.read('r', channel, new Date(T0))).count).toBe(1);
    expect(signals.reads.map((read) => read.kind)).toContain('perMinute');
  });

  describe('within a memory bound', () => {
    /** Calls at ~1 a second over 100 minutes, with latencies spread over 1 ms to 60 s. */
    async function seedLatencies(): Promise<void> {
      const next = random(23);
      const seeded: RequestLogEntry[] = [];
      for (let t = T0 - 90 * MINUTE; t < T0 + 10 * MINUTE; t += 500 + Math.floor(next() * 1_000)) {
        seeded.push(call(t, 200, null, 'ch-a', Math.floor(next() ** 3 * 60_000)));
      }
      await logs.insertMany(seeded);
    }

    /** What one rule's hour of kept minutes counts in memory. */
    async function bytesOfAnHour(): Promise<number> {
      const memory = new KeptMemory(Infinity);
      await new WindowMinutes(valueMeasure(signals, 'latency'), memory).read('probe', hourEndingAt(T0), new Date(T0));
      return memory.usedBytes;
    }

    it('reads a rule whole once its minutes would pass the bound, frees what it forgets, and lets it try again', async () => {
      await seedLatencies();
      const hour = await bytesOfAnHour();
      // ~1 distinct value a call, ~60 calls a minute: a few hundred bytes a minute at least.
      expect(hour).toBeGreaterThan(60 * 400);
      const warnings: string[] = [];
      const memory = new KeptMemory(Math.floor(hour * 1.5), (message) => warnings.push(message));
      const windows = new WindowMinutes(valueMeasure(signals, 'latency'), memory);
      const other = { kind: 'channel', value: 'ch-a' } as const;

      await windows.read('a', hourEndingAt(T0), new Date(T0));
      expect(memory.usedBytes).toBe(hour);
      expect(warnings).toEqual([]);

      // A second rule of the same size does not fit: it gets the whole window, keeps nothing, and says so.
      signals.reads.length = 0;
      const whole = await windows.read('b', hourEndingAt(T0, other), new Date(T0));
      expect(whole.count).toBe((await signals.percentile(hourEndingAt(T0, other), 'latency', 0.5)).count);
      expect(memory.usedBytes).toBe(hour);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('alert rule b');
      expect(windows.keeps('b', hourEndingAt(T0, other), new Date(T0))).toBe(false);
      expect(windows.keeps('a', hourEndingAt(T0), new Date(T0))).toBe(true);

      // From then on it reads its whole hour each round; the rule that fits reads its edges only.
      const later = T0 + 90_000;
      signals.reads.length = 0;
      await windows.read('b', hourEndingAt(later, other), new Date(later));
      expect(signals.readMinutes()).toBeCloseTo(60, 6);
      await windows.read('a', hourEndingAt(later), new Date(later));
      expect(signals.readMinutes()).toBeLessThanOrEqual(2 + SETTLE_MS / MINUTE + 1 + 1);
      expect(warnings).toHaveLength(1);

      // The minutes that leave the window are given back.
      const beforeForget = memory.usedBytes;
      windows.forget('a', hourEndingAt(later), hourEndingAt(later).since);
      expect(memory.usedBytes).toBeLessThan(beforeForget);
      expect(memory.usedBytes).toBeGreaterThan(0);

      // Rule a is removed: b tries again, and fits.
      windows.retain([{ id: 'b', scope: other }]);
      expect(memory.usedBytes).toBe(0);
      expect(windows.keeps('b', hourEndingAt(later, other), new Date(later))).toBe(true);
      const kept = await windows.read('b', hourEndingAt(later, other), new Date(later));
      expect(kept.count).toBe((await signals.percentile(hourEndingAt(later, other), 'latency', 0.5)).count);
      expect(memory.usedBytes).toBeGreaterThan(0);
      expect(memory.usedBytes).toBeLessThanOrEqual(memory.maxBytes);
    });

    it('gives back every byte it counted, also when a window is read around minutes it kept', async () => {
      await seedLatencies();
      const memory = new KeptMemory(Infinity);
      const windows = new WindowMinutes(valueMeasure(signals, 'latency'), memory);
      // A 20-minute window half an hour back, then the hour around it: the minutes read again skip the kept middle.
      const earlier = T0 - 30 * MINUTE;
      const short = { scope: ALL, since: new Date(earlier - 20 * MINUTE), until: new Date(earlier) };
      await windows.read('p', short, new Date(earlier));
      const hour = await windows.read('p', hourEndingAt(T0), new Date(T0));
      expect(hour.count).toBe((await signals.percentile(hourEndingAt(T0), 'latency', 0.5)).count);
      expect(memory.usedBytes).toBeGreaterThan(0);
      // Its recent minutes read again: their bytes are given back before they are taken again.
      await windows.read('p', hourEndingAt(T0 + REREAD_EVERY_MS), new Date(T0 + REREAD_EVERY_MS));
      windows.retain([]);
      expect(memory.usedBytes).toBe(0);
    });

    it("gives a rule over the bound the store's exact percentile", async () => {
      await seedLatencies();
      const rule: AlertRule = {
        id: 'p95',
        name: 'slow',
        description: null,
        enabled: true,
        kind: 'latency',
        scope: ALL,
        windowSeconds: 3_600,
        threshold: 1,
        percentile: 95,
        budgetPeriod: null,
        minRequests: 1,
        forSeconds: 0,
        repeatIntervalSeconds: 0,
        notificationChannelIds: [],
        createdAt: new Date(T0),
        updatedAt: new Date(T0),
      };
      const exact = await signals.percentile(hourEndingAt(T0), 'latency', 0.95);
      const bounded = new PercentileSignal(signals, new KeptMemory(1_000));
      // The first round finds the minutes too large and reads the window whole; the next ones ask the store.
      await bounded.evaluate(rule, new Date(T0));
      expect((await bounded.evaluate(rule, new Date(T0))).value).toBe(Math.round((exact.value as number) * 100) / 100);
      // Kept minutes give a value within 0.5 % of it, not the same one: the bound is what made it exact.
      const keeping = await new PercentileSignal(signals, new KeptMemory()).evaluate(rule, new Date(T0));
      expect(keeping.value).not.toBe(Math.round((exact.value as number) * 100) / 100);
      expect(Math.abs((keeping.value as number) - (exact.value as number))).toBeLessThanOrEqual(
        (exact.value as number) * 0.005,
      );
    });
  });
});
