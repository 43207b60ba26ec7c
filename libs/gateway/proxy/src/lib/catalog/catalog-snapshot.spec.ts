import type { Channel, GatewayKey, Route, Team, User } from '@synapse/gateway/persistence';
import { gatewayKey } from '../testing/gateway-key.fixture';
import { CatalogSnapshot } from './catalog-snapshot';

const now = new Date('2026-01-01T00:00:00Z');
const timeouts = { connectMs: 1, firstByteMs: 2, totalMs: 3 };

function channel(name: string, models: string[], overrides: Partial<Channel> = {}): Channel {
  return {
    id: `id-${name}`,
    name,
    type: 'openai',
    baseUrl: `http://${name}.test/v1`,
    apiKeyEncrypted: `sealed:${name}`,
    apiKeyHint: null,
    models,
    enabled: true,
    headers: {},
    timeouts: {},
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

function key(overrides: Partial<GatewayKey> = {}): GatewayKey {
  return gatewayKey({ models: ['gpt-*', 'fast'], ...overrides });
}

function route(name: string, overrides: Partial<Route> = {}): Route {
  return {
    id: `r-${name}`,
    name,
    strategy: 'round-robin',
    targets: [],
    fallbacks: [],
    aliases: [],
    retry: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

describe(CatalogSnapshot.name, () => {
  const snapshot = new CatalogSnapshot(
    {
      keys: [key()],
      channels: [
        channel('a', ['gpt-4o', 'emb'], { timeouts: { totalMs: 99 } }),
        channel('b', ['gpt-4o']),
        channel('off', ['gpt-4o', 'only-off'], { enabled: false }),
      ],
      routes: [
        route('gpt-4o-mini', {
          aliases: ['fast'],
          strategy: 'weighted',
          targets: [
            { channelId: 'id-a', model: 'gpt-4o', weight: 3, priority: 0 },
            { channelId: 'id-off', model: 'gpt-4o', weight: 1, priority: 0 },
          ],
          fallbacks: ['gone'],
        }),
        route('gone', { targets: [{ channelId: 'id-off', model: 'x', weight: 1, priority: 0 }] }),
        route('gpt-5*', { targets: [{ channelId: 'id-b', model: '*', weight: 1, priority: 0 }] }),
      ],
    },
    (sealed) => sealed.replace('sealed:', 'plain:'),
    timeouts,
  );

  it('finds keys by hash and compiles their allow-list', () => {
    const found = snapshot.keyByHash('h1');
    expect(found?.allows('gpt-4o')).toBe(true);
    expect(found?.allows('emb')).toBe(false);
    expect(snapshot.keyByHash('other')).toBeUndefined();
  });

  it("accepts a rotated key's previous hash until its grace period ends", () => {
    const rotated = new CatalogSnapshot(
      {
        keys: [key({ hash: 'new', previousHash: 'old', previousValidUntil: new Date(5_000) })],
        channels: [],
        routes: [],
      },
      (sealed) => sealed,
      timeouts,
    );
    expect(rotated.keyByHash('new', 10_000)?.id).toBe('k1');
    expect(rotated.keyByHash('old', 4_999)?.id).toBe('k1');
    expect(rotated.keyByHash('old', 5_000)).toBeUndefined();
  });

  it('compiles revocation, endpoints and the IP allow-list once, and warns about bad CIDRs', () => {
    const restricted = new CatalogSnapshot(
      {
        keys: [
          key({ revokedAt: now, endpoints: ['embeddings'], ipAllow: ['10.0.0.0/8', 'bad'] }),
          key({ id: 'k2', name: 'k2', hash: 'h2' }),
        ],
        channels: [],
        routes: [],
      },
      (sealed) => sealed,
      timeouts,
    );
    const found = restricted.keyByHash('h1');
    expect(found?.revoked).toBe(true);
    expect(found?.endpoints?.has('embeddings')).toBe(true);
    expect(found?.endpoints?.has('chat.completions')).toBe(false);
    expect(found?.ipAllowed?.('10.2.3.4')).toBe(true);
    expect(found?.ipAllowed?.('127.0.0.1')).toBe(false);
    expect(restricted.keyByHash('h2')).toMatchObject({ revoked: false, endpoints: null, ipAllowed: null });
    expect(restricted.warnings).toEqual(["key 'k1': ipAllow entry 'bad' is not a valid CIDR and allows nothing"]);
  });

  it("counts a key against its own limits, its user's and its team's, one scope per owner", () => {
    const user: User = {
      id: 'u1',
      email: 'u1@example.com',
      name: null,
      role: 'member',
      passwordHash: null,
      limits: { dailyBudgetUsd: 5 },
      createdAt: now,
      updatedAt: now,
    };
    const team = (id: string, limits: Team['limits']): Team => ({
      id,
      name: id,
      description: null,
      limits,
      createdAt: now,
      updatedAt: now,
    });
    const limited = new CatalogSnapshot(
      {
        keys: [
          key({ limits: { rpm: 10 }, userId: 'u1' }),
          key({ id: 'k2', name: 'k2', hash: 'h2', teamId: 't1' }),
          key({ id: 'k3', name: 'k3', hash: 'h3', teamId: 't1', limits: { concurrency: 1 } }),
          key({ id: 'k4', name: 'k4', hash: 'h4', teamId: 't-empty' }),
        ],
        channels: [],
        routes: [],
        users: [user],
        teams: [team('t1', { rpm: 2 }), team('t-empty', {})],
      },
      (sealed) => sealed,
      timeouts,
    );
    expect(limited.keyByHash('h1')).toMatchObject({
      budgeted: true,
      scopes: [
        { kind: 'key', name: 'key:k1', limits: { rpm: 10 } },
        { kind: 'user', name: 'user:u1', limits: { dailyBudgetUsd: 5 } },
      ],
    });
    const teamKey = limited.keyByHash('h2');
    expect(teamKey).toMatchObject({ teamId: 't1', budgeted: false });
    expect(teamKey?.scopes).toEqual([{ kind: 'team', name: 'team:t1', limits: { rpm: 2 } }]);
    expect(limited.keyByHash('h3')?.scopes.map((s) => s.name)).toEqual(['key:k3', 'team:t1']);
    // The keys of a team share one scope object: one set of counters.
    expect(limited.keyByHash('h3')?.scopes[1]).toBe(teamKey?.scopes[0]);
    expect(limited.keyByHash('h4')?.scopes).toEqual([]);
  });

  it('keeps enabled channels only, with decrypted keys and merged timeouts', () => {
    expect([...snapshot.channels.keys()]).toEqual(['id-a', 'id-b']);
    expect(snapshot.channels.get('id-a')).toMatchObject({
      apiKey: 'plain:a',
      timeouts: { connectMs: 1, firstByteMs: 2, totalMs: 99 },
    });
  });

  it("lists each channel's secrets for redaction once: its key and every header value", () => {
    const withHeaders = new CatalogSnapshot(
      { keys: [], routes: [], channels: [channel('h', ['m'], { headers: { 'api-key': 'hdr-secret-value-123' } })] },
      (sealed) => sealed.replace('sealed:', 'plain:'),
      timeouts,
    );
    expect(withHeaders.channels.get('id-h')?.secrets).toEqual(['hdr-secret-value-123', 'plain%3Ah', 'plain:h']);
  });

  it('makes implicit routes for channel models, across channels', () => {
    expect(snapshot.routes.resolve('gpt-4o')?.targets.map((t) => t.id)).toEqual(['id-a/gpt-4o', 'id-b/gpt-4o']);
    expect(snapshot.routes.resolve('only-off')).toBeUndefined();
  });

  it('drops targets on disabled channels, routes left empty, and fallbacks to them, with warnings', () => {
    const served = snapshot.routes.resolve('fast');
    expect(served?.name).toBe('gpt-4o-mini');
    expect(served?.targets.map((t) => t.id)).toEqual(['id-a/gpt-4o']);
    expect(served?.chain.map((r) => r.name)).toEqual(['gpt-4o-mini']);
    expect(snapshot.warnings).toHaveLength(3);
  });

  it('lists exact names and aliases the key may use, and resolves pattern routes', () => {
    const found = snapshot.keyByHash('h1');
    if (!found) throw new Error('missing key');
    expect(snapshot.modelsFor(found).map((m) => m.id)).toEqual(['fast', 'gpt-4o', 'gpt-4o-mini']);
    expect(snapshot.model('gpt-5-turbo')).toMatchObject({ id: 'gpt-5-turbo' });
    expect(snapshot.model('nope')).toBeUndefined();
  });

  it('knows which keys and routes capture bodies, and has no route set when none does', () => {
    const target = { channelId: 'id-a', model: 'gpt-4o', weight: 1, priority: 0 };
    const data = {
      keys: [key({ id: 'k-cap', hash: 'h-cap', captureBodies: true }), key({ id: 'k-off', hash: 'h-off' })],
      channels: [channel('a', ['gpt-4o'])],
      routes: [route('kept', { targets: [target], captureBodies: true }), route('plain', { targets: [target] })],
    };
    const capturing = new CatalogSnapshot(data, (sealed) => sealed, timeouts);
    expect(capturing.keyByHash('h-cap')?.captureBodies).toBe(true);
    expect(capturing.keyByHash('h-off')?.captureBodies).toBe(false);
    expect([...(capturing.captureRoutes ?? [])]).toEqual(['kept']);
    const none = new CatalogSnapshot({ ...data, routes: [route('plain', { targets: [target] })] }, (s) => s, timeouts);
    expect(none.captureRoutes).toBeNull();
  });
});
