import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openStore,
  TypeOrmAuditEventRepository,
  TypeOrmRequestBodyRepository,
  TypeOrmRequestLogRepository,
  type RequestLogEntry,
  type RetentionTarget,
  type Store,
} from '@synapse/gateway/persistence';
import { describeWithRedis, REDIS_URL } from '@synapse/testing';
import Redis from 'ioredis';
import { RetentionJob, type RetentionOptions } from './retention.job';

const NOW = new Date(Date.UTC(2030, 5, 30, 12));
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 24 * 3600 * 1000);

function logEntry(id: string, createdAt: Date): RequestLogEntry {
  return {
    id,
    createdAt,
    endpoint: 'chat.completions',
    keyId: 'k',
    userId: null,
    teamId: null,
    requestedModel: 'm',
    routeName: 'm',
    channelId: 'c',
    upstreamModel: 'm',
    attempts: 1,
    stream: false,
    status: 200,
    latencyMs: 1,
    ttftMs: null,
    promptTokens: null,
    completionTokens: null,
    totalTokens: null,
    cachedTokens: null,
    usageSource: null,
    costUsd: null,
    errorClass: null,
    errorMessage: null,
  };
}

const options = (days: RetentionOptions['days']): RetentionOptions => ({
  days,
  intervalMs: 60_000,
  batchSize: 4,
  pauseMs: 1,
});

describe(RetentionJob.name, () => {
  let dir: string;
  let store: Store;
  let logs: TypeOrmRequestLogRepository;
  let bodies: TypeOrmRequestBodyRepository;
  let audit: TypeOrmAuditEventRepository;
  let targets: RetentionTarget[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'synapse-retention-'));
    store = await openStore({ dataDir: dir });
    logs = new TypeOrmRequestLogRepository(store);
    bodies = new TypeOrmRequestBodyRepository(store);
    audit = new TypeOrmAuditEventRepository(store);
    targets = [
      { kind: 'request-log', purgeOlderThan: (b, l) => logs.purgeOlderThan(b, l) },
      { kind: 'bodies', purgeOlderThan: (b, l) => bodies.purgeOlderThan(b, l) },
      { kind: 'audit', purgeOlderThan: (b, l) => audit.purgeOlderThan(b, l) },
    ];
    // 10 calls 40 days old and 3 of yesterday; a body of each age; audit events of 400 and 10 days.
    await logs.insertMany([
      ...Array.from({ length: 10 }, (_, i) => logEntry(`old-${i}`, daysAgo(40))),
      ...Array.from({ length: 3 }, (_, i) => logEntry(`new-${i}`, daysAgo(1))),
    ]);
    const body = { request: '{}', response: 'ok', requestTruncated: false, responseTruncated: false };
    await bodies.insertMany([
      { ...body, requestId: 'old-0', createdAt: daysAgo(40) },
      { ...body, requestId: 'new-0', createdAt: daysAgo(1) },
    ]);
    const event = { actorId: null, actorEmail: null, ip: null, action: 'auth.login', subject: null, subjectId: null };
    const more = { outcome: 'succeeded' as const, detail: null, changes: null, requestId: null };
    await audit.insertMany([
      { ...event, ...more, id: 'a-old', at: daysAgo(400) },
      { ...event, ...more, id: 'a-new', at: daysAgo(10) },
    ]);
  });

  afterEach(async () => {
    await logs.close();
    await bodies.close();
    await store.dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('purges each kind older than its days, in batches, and keeps kinds set to 0', async () => {
    const batches: number[] = [];
    const counted = targets.map((t) =>
      t.kind === 'request-log'
        ? {
            ...t,
            purgeOlderThan: async (b: Date, l: number) => batches[batches.push(await t.purgeOlderThan(b, l)) - 1],
          }
        : t,
    );
    const job = new RetentionJob(counted, options({ 'request-log': 30, bodies: 30, audit: 0 }), null);
    expect(await job.run(NOW)).toEqual({ 'request-log': 10, bodies: 1 });
    expect(batches).toEqual([4, 4, 2]);
    const left = await logs.search({ filter: {}, first: 100 });
    expect(left.entries.map((e) => e.id).sort()).toEqual(['new-0', 'new-1', 'new-2']);
    expect(await bodies.findById('old-0')).toBeNull();
    expect(await bodies.findById('new-0')).not.toBeNull();
    expect((await audit.find({})).map((e) => e.id).sort()).toEqual(['a-new', 'a-old']);
    // Idempotent: a second run finds nothing left to delete.
    expect(await job.run(NOW)).toEqual({ 'request-log': 0, bodies: 0 });
  });

  it('purges the audit trail by its own days and leaves the request log alone', async () => {
    const job = new RetentionJob(targets, options({ audit: 365 }), null);
    expect(await job.run(NOW)).toEqual({ audit: 1 });
    expect(await logs.count()).toBe(13);
    expect((await audit.find({})).map((e) => e.id)).toEqual(['a-new']);
  });

  it('keeps going with the other kinds when one fails', async () => {
    const failing: RetentionTarget = { kind: 'rollup-minute', purgeOlderThan: () => Promise.reject(new Error('down')) };
    const job = new RetentionJob([failing, ...targets], options({ 'rollup-minute': 1, 'request-log': 30 }), null);
    expect(await job.run(NOW)).toEqual({ 'rollup-minute': 0, 'request-log': 10 });
  });
});

describeWithRedis('RetentionJob with Redis', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterAll(() => redis.quit());

  it('runs on one replica at a time', async () => {
    await redis.del('synapse:retention:lock');
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const slow: RetentionTarget = {
      kind: 'request-log',
      purgeOlderThan: async () => {
        calls++;
        await held;
        return 0;
      },
    };
    const days = { 'request-log': 1 };
    const first = new RetentionJob([slow], options(days), redis);
    const second = new RetentionJob([slow], options(days), redis);
    const running = first.run(NOW);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await second.run(NOW)).toBeNull();
    release();
    expect(await running).toEqual({ 'request-log': 0 });
    expect(calls).toBe(1);
    // Released: the next run on the other replica takes the lock.
    expect(await second.run(NOW)).toEqual({ 'request-log': 0 });
  });
});
