import { randomUUID } from 'node:crypto';
import type { Channel } from './models/channel';
import type { GatewayKey } from './models/gateway-key';
import { MIGRATIONS } from './migrations';
import type { RequestLogEntry } from './models/request-log';
import { SQL_STORES, type StoreHarness } from './testing/store-harnesses';
import type { Store } from './typeorm/data-source';
import {
  TypeOrmChannelRepository,
  TypeOrmGatewayKeyRepository,
  TypeOrmRequestLogRepository,
  TypeOrmRouteRepository,
  TypeOrmTargetEventRepository,
  TypeOrmTargetOverrideRepository,
  TypeOrmUserRepository,
} from './typeorm/typeorm-repositories';

function channel(overrides: Partial<Channel> = {}): Channel {
  const now = new Date();
  return {
    id: randomUUID(),
    name: 'openai-main',
    type: 'openai',
    baseUrl: 'http://127.0.0.1:9000/v1',
    apiKeyEncrypted: 'v1.abcd.iv.body',
    apiKeyHint: '…wxyz',
    models: ['gpt-4o-mini', 'text-embedding-3-small'],
    enabled: true,
    headers: { 'x-team': 'a' },
    timeouts: { totalMs: 1000 },
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

function logEntry(i: number, overrides: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    id: `req_${i}_${randomUUID()}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
    endpoint: 'chat.completions',
    keyId: 'key-1',
    userId: null,
    requestedModel: 'gpt-4o-mini',
    routeName: 'gpt-4o-mini',
    channelId: 'ch-1',
    upstreamModel: 'gpt-4o-mini',
    attempts: 1,
    stream: i % 2 === 0,
    status: 200,
    latencyMs: 12,
    ttftMs: i % 2 === 0 ? 5 : null,
    promptTokens: 10,
    completionTokens: 3,
    totalTokens: 13,
    usageSource: 'upstream',
    costUsd: i % 3 === 0 ? null : 0.000125,
    errorClass: null,
    errorMessage: null,
    ...overrides,
  };
}

describe.each(SQL_STORES)('repository contract on %s', (_name, makeHarness) => {
  let harness: StoreHarness;
  let store: Store;
  const afterTest: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of afterTest.splice(0)) await cleanup();
  });

  beforeAll(async () => {
    harness = makeHarness();
    store = await harness.open();
  });

  afterAll(async () => {
    await store?.dataSource.destroy();
    await harness?.cleanup();
  });

  it('applies migrations once and again idempotently on reopen', async () => {
    const migrations = await store.dataSource.query('SELECT name FROM migrations');
    expect(migrations.map((m: { name: string }) => m.name)).toEqual([
      'InitialSchema1798000000001',
      'RoutesAndTargetEvents1798000000002',
      'RefreshTokens1798000000003',
      'GatewayKeyLifecycle1798000000004',
      'GatewayKeyLimits1798000000005',
      'TeamsRolesAudit1798000000006',
      'SpendAndUserLimits1798000000007',
      'ChannelSecretHint1798000000008',
      'UserSsoIdentity1798000000009',
      'RefreshTokenSessionStart1798000000010',
    ]);
    await store.dataSource.destroy();
    store = await harness.open();
    expect(await store.dataSource.query('SELECT name FROM migrations')).toHaveLength(MIGRATIONS.length);
  });

  it('stores and updates channels with JSON fields intact', async () => {
    const repo = new TypeOrmChannelRepository(store);
    const saved = await repo.save(channel());
    const found = await repo.findByName('openai-main');
    expect(found).toMatchObject({
      id: saved.id,
      models: ['gpt-4o-mini', 'text-embedding-3-small'],
      headers: { 'x-team': 'a' },
      timeouts: { totalMs: 1000 },
      enabled: true,
    });
    expect(found?.createdAt).toBeInstanceOf(Date);
    await repo.save({ ...(found as Channel), enabled: false, models: ['m'] });
    expect(await repo.findAll()).toEqual([expect.objectContaining({ enabled: false, models: ['m'] })]);
  });

  it('rejects a second channel with the same name', async () => {
    const repo = new TypeOrmChannelRepository(store);
    await expect(repo.save(channel({ id: randomUUID() }))).rejects.toThrow();
    expect(await repo.findAll()).toHaveLength(1);
  });

  it('finds a channel by id with its key hint, and deletes it by id', async () => {
    const repo = new TypeOrmChannelRepository(store);
    const saved = await repo.save(channel({ name: 'to-delete', apiKeyHint: '…1234' }));
    afterTest.push(async () => void (await repo.delete(saved.id)));
    expect(await repo.findById(saved.id)).toMatchObject({ name: 'to-delete', apiKeyHint: '…1234' });
    await repo.save({ ...saved, apiKeyEncrypted: null, apiKeyHint: null });
    expect(await repo.findById(saved.id)).toMatchObject({ apiKeyEncrypted: null, apiKeyHint: null });
    expect(await repo.findById(randomUUID())).toBeNull();

    expect(await repo.delete(saved.id)).toBe(true);
    expect(await repo.findById(saved.id)).toBeNull();
    expect(await repo.delete(saved.id)).toBe(false);
    expect((await repo.findAll()).map((c) => c.name)).toEqual(['openai-main']);
  });

  it('sets a key hint only while the key is the one it was computed from', async () => {
    const repo = new TypeOrmChannelRepository(store);
    const saved = await repo.save(channel({ name: 'hinted', apiKeyEncrypted: 'v1.k.iv.old', apiKeyHint: null }));
    afterTest.push(async () => void (await repo.delete(saved.id)));
    expect(await repo.setApiKeyHint(saved.id, 'v1.k.iv.other', '…nope')).toBe(false);
    expect(await repo.findById(saved.id)).toMatchObject({ apiKeyHint: null });
    expect(await repo.setApiKeyHint(saved.id, 'v1.k.iv.old', '…abcd')).toBe(true);
    expect(await repo.findById(saved.id)).toMatchObject({ apiKeyEncrypted: 'v1.k.iv.old', apiKeyHint: '…abcd' });
  });

  it('stores gateway keys by hash with expiry', async () => {
    const repo = new TypeOrmGatewayKeyRepository(store);
    const now = new Date();
    const key: GatewayKey = {
      id: randomUUID(),
      name: 'ci',
      prefix: 'sk-test-01',
      hash: 'a'.repeat(64),
      limits: { rpm: 60, concurrency: 2 },
      teamId: null,
      models: ['*'],
      endpoints: null,
      ipAllow: null,
      enabled: true,
      expiresAt: new Date('2030-01-01T00:00:00Z'),
      previousHash: null,
      previousValidUntil: null,
      revokedAt: null,
      userId: null,
      createdAt: now,
      updatedAt: now,
    };
    await repo.save(key);
    const found = await repo.findByName('ci');
    expect(found?.expiresAt?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(found?.hash).toBe('a'.repeat(64));
    expect(found).toMatchObject({ endpoints: null, ipAllow: null, previousHash: null, revokedAt: null });
    expect(found?.limits).toEqual({ rpm: 60, concurrency: 2 });
    expect(await repo.findAll()).toHaveLength(1);
  });

  it('keeps a rotated, restricted and revoked key as saved, found by id', async () => {
    const repo = new TypeOrmGatewayKeyRepository(store);
    const stored = (await repo.findByName('ci')) as GatewayKey;
    await repo.save({
      ...stored,
      hash: 'b'.repeat(64),
      previousHash: stored.hash,
      previousValidUntil: new Date('2030-02-01T00:00:00Z'),
      revokedAt: new Date('2030-03-01T00:00:00Z'),
      endpoints: ['embeddings'],
      ipAllow: ['10.0.0.0/8', '2001:db8::/32'],
    });
    const found = await repo.findById(stored.id);
    expect(found).toMatchObject({
      hash: 'b'.repeat(64),
      previousHash: 'a'.repeat(64),
      endpoints: ['embeddings'],
      ipAllow: ['10.0.0.0/8', '2001:db8::/32'],
    });
    expect(found?.previousValidUntil?.toISOString()).toBe('2030-02-01T00:00:00.000Z');
    expect(found?.revokedAt?.toISOString()).toBe('2030-03-01T00:00:00.000Z');
    expect(await repo.findById(randomUUID())).toBeNull();
  });

  it('finds users by id and by email case-insensitively, and counts them', async () => {
    const repo = new TypeOrmUserRepository(store);
    expect(await repo.count()).toBe(0);
    const now = new Date();
    const id = randomUUID();
    await repo.save({
      id,
      email: 'Admin@Example.com',
      name: null,
      role: 'owner',
      passwordHash: '$argon2id$stub',
      createdAt: now,
      updatedAt: now,
    });
    expect(await repo.findByEmail('admin@example.COM')).toMatchObject({ email: 'admin@example.com', role: 'owner' });
    expect(await repo.findById(id)).toMatchObject({ id, email: 'admin@example.com' });
    expect(await repo.findById(randomUUID())).toBeNull();
    expect(await repo.count()).toBe(1);
    expect(await repo.count({ role: 'owner' })).toBe(1);
    expect(await repo.count({ role: 'member' })).toBe(0);
  });

  it('writes request logs in batches larger than one statement and reads them newest first', async () => {
    const repo = new TypeOrmRequestLogRepository(store);
    afterTest.push(() => repo.close());
    const entries = Array.from({ length: 450 }, (_, i) => logEntry(i));
    await repo.insertMany(entries);
    expect(await repo.count()).toBe(450);
    const newest = await repo.find({ limit: 3 });
    expect(newest.map((e) => e.id)).toEqual([entries[449].id, entries[448].id, entries[447].id]);
    expect(newest[0]).toEqual(entries[449]);
    expect(await repo.findById(entries[0].id)).toEqual(entries[0]);
    const since = await repo.find({ since: entries[440].createdAt, limit: 1000 });
    expect(since).toHaveLength(10);
  });

  it('keeps user limits and finds the users that have them', async () => {
    const repo = new TypeOrmUserRepository(store);
    const now = new Date();
    const base = { name: null, role: 'member' as const, passwordHash: null, createdAt: now, updatedAt: now };
    const id = randomUUID();
    await repo.save({ ...base, id, email: 'capped@example.com', limits: { rpm: 5, dailyBudgetUsd: 1.5 } });
    await repo.save({ ...base, id: randomUUID(), email: 'free@example.com', limits: null });
    expect(await repo.findById(id)).toMatchObject({ limits: { rpm: 5, dailyBudgetUsd: 1.5 } });
    expect((await repo.findWithLimits()).map((u) => u.id)).toEqual([id]);
  });

  it('sums the cost of logged calls per key and per user since a moment', async () => {
    const repo = new TypeOrmRequestLogRepository(store);
    afterTest.push(() => repo.close());
    const at = (day: number) => new Date(Date.UTC(2031, 4, day, 12));
    await repo.insertMany([
      logEntry(5000, { keyId: 'spend-a', userId: 'spend-u', costUsd: 0.25, createdAt: at(2) }),
      logEntry(5001, { keyId: 'spend-a', userId: 'spend-u', costUsd: 0.5, createdAt: at(3) }),
      logEntry(5002, { keyId: 'spend-b', userId: 'spend-u', costUsd: 1e-6, createdAt: at(3) }),
      logEntry(5003, { keyId: 'spend-b', userId: null, costUsd: null, createdAt: at(3) }),
      logEntry(5004, { keyId: 'spend-a', userId: 'spend-u', costUsd: 9, createdAt: at(1) }),
    ]);
    const spend = await repo.spendSince(new Date(Date.UTC(2031, 4, 2)));
    const find = (scope: string, id: string) => spend.find((s) => s.scope === scope && s.id === id)?.costUsd;
    expect(find('key', 'spend-a')).toBeCloseTo(0.75, 10);
    expect(find('key', 'spend-b')).toBeCloseTo(1e-6, 12);
    expect(find('user', 'spend-u')).toBeCloseTo(0.750001, 10);
    expect((await repo.find({ keyId: 'spend-a', limit: 1 }))[0].costUsd).toBe(0.5);
  });

  it('writes a batch all or nothing', async () => {
    const repo = new TypeOrmRequestLogRepository(store);
    afterTest.push(() => repo.close());
    const before = await repo.count();
    const duplicate = logEntry(1000);
    await expect(repo.insertMany([logEntry(1001), duplicate, duplicate])).rejects.toThrow();
    expect(await repo.count()).toBe(before);
  });

  it('stores routes with their targets, fallbacks and retry policy', async () => {
    const repo = new TypeOrmRouteRepository(store);
    const now = new Date();
    await repo.save({
      id: randomUUID(),
      name: 'gpt-4o*',
      strategy: 'priority',
      targets: [
        { channelId: 'c1', model: '*', weight: 1, priority: 2 },
        { channelId: 'c2', model: 'gpt-4o-mini', weight: 3, priority: 0, rpm: 60 },
      ],
      fallbacks: ['backup'],
      aliases: [],
      retry: { attempts: 2, retryOn: ['5xx'] },
      createdAt: now,
      updatedAt: now,
    });
    await repo.save({
      id: randomUUID(),
      name: 'backup',
      strategy: 'round-robin',
      targets: [{ channelId: 'c3', model: 'm', weight: 1, priority: 0 }],
      fallbacks: [],
      aliases: ['fast'],
      retry: null,
      createdAt: now,
      updatedAt: now,
    });
    const all = await repo.findAll();
    expect(all.map((r) => r.name)).toEqual(['backup', 'gpt-4o*']);
    expect(await repo.findByName('gpt-4o*')).toMatchObject({
      strategy: 'priority',
      targets: [
        { channelId: 'c1', model: '*', weight: 1, priority: 2 },
        { channelId: 'c2', model: 'gpt-4o-mini', weight: 3, priority: 0, rpm: 60 },
      ],
      fallbacks: ['backup'],
      retry: { attempts: 2, retryOn: ['5xx'] },
    });
    expect((await repo.findByName('backup'))?.retry).toBeNull();
  });

  it('deletes a route by name and says whether there was one', async () => {
    const repo = new TypeOrmRouteRepository(store);
    const now = new Date();
    await repo.save({
      id: randomUUID(),
      name: 'to-delete',
      strategy: 'round-robin',
      targets: [{ channelId: 'c1', model: 'm', weight: 1, priority: 0 }],
      fallbacks: [],
      aliases: [],
      retry: null,
      createdAt: now,
      updatedAt: now,
    });
    const before = (await repo.findAll()).length;
    expect(await repo.delete('to-delete')).toBe(true);
    expect(await repo.findByName('to-delete')).toBeNull();
    expect(await repo.findAll()).toHaveLength(before - 1);
    expect(await repo.delete('to-delete')).toBe(false);
    expect(await repo.delete('never-there')).toBe(false);
    expect(await repo.findAll()).toHaveLength(before - 1);
  });

  it('records target events and reads the newest first', async () => {
    const repo = new TypeOrmTargetEventRepository(store);
    for (let i = 0; i < 5; i++) {
      await repo.insert({
        id: randomUUID(),
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
        targetId: `c1/m${i}`,
        channelId: 'c1',
        fromState: 'healthy',
        toState: 'cooling_down',
        cause: 'failures',
      });
    }
    const recent = await repo.recent(2);
    expect(recent.map((e) => e.targetId)).toEqual(['c1/m4', 'c1/m3']);
    expect(recent[0].at.toISOString()).toBe('2026-01-01T00:00:04.000Z');
  });

  it('keeps one override per target, updated in place', async () => {
    const repo = new TypeOrmTargetOverrideRepository(store);
    await repo.save({ targetId: 'c1/m', disabled: true, updatedAt: new Date() });
    await repo.save({ targetId: 'c1/m', disabled: false, updatedAt: new Date() });
    await repo.save({ targetId: 'c2/m', disabled: true, updatedAt: new Date() });
    const all = await repo.findAll();
    expect(all.map((o) => [o.targetId, o.disabled]).sort()).toEqual([
      ['c1/m', false],
      ['c2/m', true],
    ]);
  });
});
