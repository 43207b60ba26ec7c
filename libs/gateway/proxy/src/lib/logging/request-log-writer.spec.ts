import {
  openStore,
  TypeOrmRequestLogRepository,
  type RequestLogEntry,
  type StoreAvailability,
  type Store,
} from '@synapse/gateway/persistence';
import { createPostgresSchema, describeWithPostgres, POSTGRES_URL } from '@synapse/testing';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestLogWriter } from './request-log-writer';

const entry = (id: string): RequestLogEntry => ({
  id,
  createdAt: new Date(Date.UTC(2031, 0, 2, 3, 4, 5)),
  endpoint: 'chat.completions',
  keyId: null,
  userId: null,
  requestedModel: 'gpt-4o-mini',
  routeName: null,
  channelId: null,
  upstreamModel: null,
  attempts: 1,
  stream: false,
  status: 200,
  latencyMs: 12,
  ttftMs: null,
  promptTokens: 3,
  completionTokens: 4,
  totalTokens: 7,
  usageSource: 'upstream',
  costUsd: 0.001,
  errorClass: null,
  errorMessage: null,
});

/**
 * The writer against a real SQLite store whose writes the test can make fail (an outage as the
 * writer sees it: insertMany rejects). The PostgreSQL outage itself is in the gateway e2e suite.
 */
describe(RequestLogWriter.name, () => {
  let dir: string;
  let store: Store;
  let repository: TypeOrmRequestLogRepository;
  let down: boolean;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'synapse-log-writer-'));
    store = await openStore({ dataDir: dir });
    repository = new TypeOrmRequestLogRepository(store);
    down = false;
    const insert = repository.insertMany.bind(repository);
    repository.insertMany = (entries) => (down ? Promise.reject(new Error('connection refused')) : insert(entries));
  });

  afterEach(async () => {
    await repository.close();
    await store.dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const writer = (spillDir?: string) =>
    new RequestLogWriter(repository, { batchSize: 100, flushIntervalMs: 60_000, maxQueued: 4, spillDir });
  const count = async () => (await repository.find({ limit: 100 })).length;

  it('keeps entries past the bound on disk during an outage and writes them all, in order, once back', async () => {
    const spillDir = join(dir, 'spill');
    const logs = writer(spillDir);
    down = true;
    for (let i = 0; i < 11; i++) logs.record(entry(`req-${String(i).padStart(2, '0')}`));
    await logs.flush();
    expect(readdirSync(spillDir).length).toBeGreaterThan(0);
    expect(logs.pending).toBeLessThanOrEqual(4);
    down = false;
    await logs.flush();
    expect(await count()).toBe(11);
    expect(readdirSync(spillDir)).toEqual([]);
    const written = await repository.findById('req-00');
    expect(written?.createdAt.toISOString()).toBe('2031-01-02T03:04:05.000Z');
  });

  it('redacts secret-looking header values before they reach a spill file', async () => {
    const spillDir = join(dir, 'spill');
    const logs = writer(spillDir);
    down = true;
    for (let i = 0; i < 6; i++) {
      logs.record({ ...entry(`req-${i}`), requestHeaders: { 'user-agent': 'curl sk-pasted0123456789abcdefghij' } });
    }
    await logs.beforeApplicationShutdown();
    const spilled = readdirSync(spillDir)
      .map((file) => readFileSync(join(spillDir, file), 'utf8'))
      .join('');
    expect(spilled).toContain('req-5');
    expect(spilled).not.toContain('sk-pasted');
  });

  it('drops the oldest past the bound when it has no spill folder', async () => {
    const logs = writer();
    down = true;
    for (let i = 0; i < 11; i++) logs.record(entry(`req-${i}`));
    down = false;
    await logs.flush();
    expect(await count()).toBeLessThan(11);
  });

  it('keeps on disk at shutdown what the store would not take, and the next writer writes it', async () => {
    const spillDir = join(dir, 'spill');
    const first = writer(spillDir);
    down = true;
    for (let i = 0; i < 3; i++) first.record(entry(`req-${i}`));
    await first.beforeApplicationShutdown();
    expect(readdirSync(spillDir).length).toBe(1);
    down = false;
    const next = writer(spillDir);
    next.onModuleInit();
    await next.flush();
    await next.beforeApplicationShutdown();
    expect(await count()).toBe(3);
  });

  it('drops an entry the store refuses for what it holds and writes the rest of its batch', async () => {
    const log = writer();
    const refused = { ...entry('req-bad'), status: null as unknown as number };
    for (const e of [entry('req-1'), refused, entry('req-2')]) log.record(e);
    await log.flush();
    expect(log.pending).toBe(0);
    expect((await repository.find({ limit: 10 })).map((e) => e.id).sort()).toEqual(['req-1', 'req-2']);
    log.record(entry('req-3'));
    await log.flush();
    expect(await count()).toBe(3);
  });

  it('keeps the whole batch when the store goes away while it writes entry by entry', async () => {
    const log = writer();
    const refused = { ...entry('req-bad'), status: null as unknown as number };
    const insert = repository.insertMany;
    let calls = 0;
    // The batch is refused (a real NOT NULL violation), then the store stops answering.
    repository.insertMany = (entries) =>
      ++calls > 1 ? Promise.reject(new Error('connection refused')) : insert(entries);
    for (const e of [entry('req-1'), refused, entry('req-2')]) log.record(e);
    await log.flush();
    expect(log.pending).toBe(3);
    expect(await count()).toBe(0);
    repository.insertMany = insert;
    await log.flush();
    expect(log.pending).toBe(0);
    expect((await repository.find({ limit: 10 })).map((e) => e.id).sort()).toEqual(['req-1', 'req-2']);
  });

  it('tries a failing store again after a wait that doubles, not at the end of every call', async () => {
    let clock = 1_000_000;
    const now = jest.spyOn(Date, 'now').mockImplementation(() => clock);
    try {
      const insert = repository.insertMany;
      let attempts = 0;
      repository.insertMany = (entries) => (attempts++, insert(entries));
      const logs = new RequestLogWriter(repository, { batchSize: 2, flushIntervalMs: 40 });
      down = true;
      for (let i = 0; i < 50; i++) logs.record(entry(`req-${i}`));
      await logs.flush();
      // The first full batch tried the store; the 48 calls after it, within its 40 ms wait, did not.
      expect(attempts).toBe(1);
      clock += 40;
      // A call's end starts the next attempt once the wait is over (synchronously, before any await).
      logs.record(entry('req-50'));
      expect(attempts).toBe(2);
      await logs.flush();
      clock += 79;
      logs.record(entry('req-51'));
      expect(attempts).toBe(2);
      down = false;
      clock += 1;
      logs.record(entry('req-52'));
      expect(attempts).toBe(3);
      await logs.flush();
      expect(logs.pending).toBe(0);
      expect(await count()).toBe(53);
    } finally {
      now.mockRestore();
    }
  });

  it('tries a PostgreSQL store again as soon as its availability probe sees it answer', async () => {
    // The probe's verdict, as StoreAvailability keeps it (its probe is tested against a real server in the e2e suite).
    const availability = {
      up: true,
      probed: true,
      reportFailure: () => (availability.up = false),
    } as unknown as StoreAvailability;
    let attempts = 0;
    const insert = repository.insertMany;
    repository.insertMany = (entries) => (attempts++, insert(entries));
    const logs = new RequestLogWriter(repository, { batchSize: 1, flushIntervalMs: 60_000 }, availability);
    down = true;
    logs.record(entry('req-1'));
    await logs.flush();
    logs.record(entry('req-2'));
    expect(attempts).toBe(1);
    down = false;
    availability.up = true;
    logs.record(entry('req-3'));
    expect(attempts).toBe(2);
    await logs.flush();
    expect(await count()).toBe(3);
  });

  it('writes a batch sent again (its answer lost) only once', async () => {
    await repository.insertMany([entry('req-a'), entry('req-b')]);
    await repository.insertMany([entry('req-a'), entry('req-b'), entry('req-c')]);
    expect(await count()).toBe(3);
  });
});

describeWithPostgres('request log batches sent again on PostgreSQL', () => {
  it('writes each entry once', async () => {
    const { schema, drop } = await createPostgresSchema('log_writer');
    const store = await openStore({ dataDir: tmpdir(), databaseUrl: POSTGRES_URL, schema });
    const repository = new TypeOrmRequestLogRepository(store);
    try {
      await repository.insertMany([entry('req-a')]);
      await repository.insertMany([entry('req-a'), entry('req-b')]);
      expect((await repository.find({ limit: 10 })).length).toBe(2);
    } finally {
      await store.dataSource.destroy();
      await drop();
    }
  });
});
