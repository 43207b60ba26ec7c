import { randomUUID } from 'node:crypto';
import type { GatewayKey } from '../../models/gateway-key';
import type { GatewayKeyRepository } from '../../repositories';
import { gatewayKey } from './contract-fixtures';
import type { ContractStore } from './contract-harness';

export function gatewayKeyContract(store: ContractStore<{ gatewayKeys: GatewayKeyRepository }>): void {
  let repo: GatewayKeyRepository;
  beforeEach(() => {
    repo = store.repos.gatewayKeys;
  });

  it('stores gateway keys by hash with expiry', async () => {
    const key = gatewayKey({ hash: 'a'.repeat(64) });
    await repo.save(key);
    const found = await repo.findByName('ci');
    expect(found?.expiresAt?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(found?.createdAt).toEqual(key.createdAt);
    expect(found?.hash).toBe('a'.repeat(64));
    expect(found).toMatchObject({ endpoints: null, ipAllow: null, previousHash: null, revokedAt: null });
    expect(found?.limits).toEqual({ rpm: 60, concurrency: 2 });
    expect(await repo.findAll()).toHaveLength(1);
  });

  it('keeps a rotated, restricted and revoked key as saved, found by id', async () => {
    const stored = await repo.save(gatewayKey({ hash: 'a'.repeat(64) }));
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
    expect(await repo.findAll()).toHaveLength(1);
    expect(await repo.findById(randomUUID())).toBeNull();
  });

  it('rejects a second key with the same name', async () => {
    const first = await repo.save(gatewayKey());
    await expect(repo.save(gatewayKey({ prefix: 'sk-test-02' }))).rejects.toThrow();
    expect((await repo.findAll()).map((k) => [k.id, k.prefix])).toEqual([[first.id, 'sk-test-01']]);
  });

  it('rejects a second key with the same hash', async () => {
    const first = await repo.save(gatewayKey());
    await expect(repo.save(gatewayKey({ name: 'other', hash: first.hash }))).rejects.toThrow();
    expect((await repo.findAll()).map((k) => k.id)).toEqual([first.id]);
  });

  it('lists keys by name', async () => {
    for (const name of ['charlie', 'alpha', 'bravo']) await repo.save(gatewayKey({ name }));
    expect((await repo.findAll()).map((k) => k.name)).toEqual(['alpha', 'bravo', 'charlie']);
  });

  it('keeps what it stores apart from the objects its callers hold', async () => {
    const saved = gatewayKey({ endpoints: ['embeddings'] });
    await repo.save(saved);
    saved.models.push('changed-after-save');
    (saved.limits as NonNullable<GatewayKey['limits']>).rpm = 1;
    const found = (await repo.findById(saved.id)) as GatewayKey;
    found.endpoints?.push('changed-after-find');
    (found.limits as NonNullable<GatewayKey['limits']>).concurrency = 1;
    expect(await repo.findById(saved.id)).toMatchObject({
      models: ['*'],
      endpoints: ['embeddings'],
      limits: { rpm: 60, concurrency: 2 },
    });
  });
}
