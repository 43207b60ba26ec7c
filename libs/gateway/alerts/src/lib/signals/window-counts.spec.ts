import {
  openStore,
  TypeOrmRequestLogRepository,
  TypeOrmRequestLogSignalRepository,
  type RequestLogEntry,
  type SignalWindow,
  type Store,
} from '@synapse/gateway/persistence';
import { createPostgresSchema, POSTGRES_URL, postgresAvailable } from '@synapse/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SETTLE_MS, WindowCounts } from './window-counts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2031, 4, 1, 12, 0, 0);
const ALL = { kind: 'all', value: null } as const;

/** The store's signals, with every window they were asked to read written down. */
class RecordingSignals extends TypeOrmRequestLogSignalRepository {
  readonly reads: { kind: 'whole' | 'perMinute'; window: SignalWindow }[] = [];

  override counts(window: SignalWindow) {
    this.reads.push({ kind: 'whole', window });
    return super.counts(window);
  }

  override countsPerMinute(window: SignalWindow) {
    this.reads.push({ kind: 'perMinute', window });
    return super.countsPerMinute(window);
  }

  /** Minutes of log read since the last call. */
  readMinutes(): number {
    const ms = this.reads.reduce((sum, { window }) => sum + window.until.getTime() - window.since.getTime(), 0);
    this.reads.length = 0;
    return ms / MINUTE;
  }
}

let sequence = 0;
function call(createdAt: number, status: number, costUsd: number | null, channelId = 'ch-a'): RequestLogEntry {
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
    latencyMs: 20,
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

function windowCountsSpecs(open: () => Promise<Store>): void {
  let store: Store;
  let logs: TypeOrmRequestLogRepository;
  let signals: RecordingSignals;

  beforeEach(async () => {
    store = await open();
    logs = new TypeOrmRequestLogRepository(store);
    signals = new RecordingSignals(store);
  });
  afterEach(async () => {
    await logs.close();
    await store.dataSource.destroy();
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
    const windows = new WindowCounts(signals);

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
        const kept = await windows.counts(`rule-${scope.kind}`, window, new Date(now));
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
    const windows = new WindowCounts(signals);

    const first = T0 + 15_000;
    expect((await windows.counts('r', hourEndingAt(first), new Date(first))).count).toBe(1);
    expect(signals.reads.map((read) => read.kind)).toEqual(['perMinute', 'whole', 'whole']);
    expect(signals.readMinutes()).toBeCloseTo(60, 6);

    // 30 s on: the head's part minute, the unsettled tail (five minutes and the part one), and the minute that settled.
    const second = first + 30_000;
    expect((await windows.counts('r', hourEndingAt(second), new Date(second))).count).toBe(1);
    expect(signals.readMinutes()).toBeLessThanOrEqual(1 + SETTLE_MS / MINUTE + 1 + 1);
    const perMinute = signals.reads.filter((read) => read.kind === 'perMinute');
    expect(perMinute.length).toBeLessThanOrEqual(1);

    // A minute without calls was kept as zero: the next look within the same minute reads no per-minute counts.
    signals.reads.length = 0;
    await windows.counts('r', hourEndingAt(second + 5_000), new Date(second + 5_000));
    expect(signals.reads.filter((read) => read.kind === 'perMinute')).toEqual([]);
  });

  it('misses a call stamped in a minute it has kept: the documented cost of settling after five minutes', async () => {
    const windows = new WindowCounts(signals);
    const now = T0;
    expect((await windows.counts('r', hourEndingAt(now), new Date(now))).count).toBe(0);
    await logs.insertMany([call(now - 10 * MINUTE, 500, 1)]);
    expect((await windows.counts('r', hourEndingAt(now + 1_000), new Date(now + 1_000))).count).toBe(0);
    // A rule it has not kept (or a changed scope) reads the minute, as does any window after `retain` dropped it.
    expect((await windows.counts('other', hourEndingAt(now + 1_000), new Date(now + 1_000))).count).toBe(1);
    windows.retain([]);
    expect((await windows.counts('r', hourEndingAt(now + 2_000), new Date(now + 2_000))).count).toBe(1);
  });

  it('reads a short window whole, and a scope change starts again', async () => {
    await logs.insertMany([call(T0 - 2 * MINUTE, 200, 1, 'ch-a'), call(T0 - 20 * MINUTE, 200, 1, 'ch-b')]);
    const windows = new WindowCounts(signals);
    const short: SignalWindow = { scope: ALL, since: new Date(T0 - 6 * MINUTE), until: new Date(T0) };
    expect((await windows.counts('r', short, new Date(T0))).count).toBe(1);
    expect(signals.reads).toEqual([{ kind: 'whole', window: short }]);
    signals.reads.length = 0;

    expect((await windows.counts('r', hourEndingAt(T0), new Date(T0))).count).toBe(2);
    windows.retain([{ id: 'r', scope: { kind: 'channel', value: 'ch-b' } }]);
    const channel = hourEndingAt(T0, { kind: 'channel', value: 'ch-b' });
    signals.reads.length = 0;
    expect((await windows.counts('r', channel, new Date(T0))).count).toBe(1);
    expect(signals.reads.map((read) => read.kind)).toContain('perMinute');
  });
}

describe(`${WindowCounts.name} on SQLite`, () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  windowCountsSpecs(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synapse-window-counts-'));
    dirs.push(dir);
    return openStore({ dataDir: dir });
  });
});

const onPostgres = postgresAvailable ? describe : describe.skip;
onPostgres(`${WindowCounts.name} on PostgreSQL`, () => {
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const drop of drops) await drop();
  });
  windowCountsSpecs(async () => {
    const created = await createPostgresSchema('window_counts');
    drops.push(created.drop);
    return openStore({ dataDir: '', databaseUrl: POSTGRES_URL, schema: created.schema });
  });
});
