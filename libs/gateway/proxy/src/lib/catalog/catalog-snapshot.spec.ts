import type { Channel, GatewayKey } from '@synapse/gateway/persistence';
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
  return {
    id: 'k1',
    name: 'k1',
    prefix: 'sk-abc',
    hash: 'h1',
    models: ['gpt-*'],
    enabled: true,
    expiresAt: null,
    userId: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

describe(CatalogSnapshot.name, () => {
  const snapshot = new CatalogSnapshot(
    [key()],
    [
      channel('a', ['gpt-4o', 'emb'], { timeouts: { totalMs: 99 } }),
      channel('b', ['gpt-4o']),
      channel('off', ['gpt-4o', 'only-off'], { enabled: false }),
    ],
    (sealed) => sealed.replace('sealed:', 'plain:'),
    timeouts,
  );

  it('finds keys by hash and compiles their allow-list', () => {
    const found = snapshot.keyByHash('h1');
    expect(found?.allows('gpt-4o')).toBe(true);
    expect(found?.allows('emb')).toBe(false);
    expect(snapshot.keyByHash('other')).toBeUndefined();
  });

  it('indexes models of enabled channels only, with decrypted keys and merged timeouts', () => {
    expect(snapshot.model('only-off')).toBeUndefined();
    const served = snapshot.model('gpt-4o');
    expect(served?.targets.map((t) => t.channelName)).toEqual(['a', 'b']);
    expect(served?.targets[0]).toMatchObject({
      apiKey: 'plain:a',
      timeouts: { connectMs: 1, firstByteMs: 2, totalMs: 99 },
    });
  });

  it('spreads picks evenly over the channels of a model', () => {
    const served = snapshot.model('gpt-4o');
    if (!served) throw new Error('missing model');
    const counts: Record<string, number> = {};
    for (let i = 0; i < 1000; i++) {
      const name = snapshot.pick(served).channelName;
      counts[name] = (counts[name] ?? 0) + 1;
    }
    expect(counts).toEqual({ a: 500, b: 500 });
  });

  it('lists the models a key may use, sorted', () => {
    const found = snapshot.keyByHash('h1');
    if (!found) throw new Error('missing key');
    expect(snapshot.modelsFor(found).map((m) => m.id)).toEqual(['gpt-4o']);
  });
});
