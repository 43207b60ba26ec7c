import { randomUUID } from 'node:crypto';
import type { Route } from '../../models/route';
import type { RouteRepository } from '../../repositories';
import { route, T0 } from './contract-fixtures';
import type { ContractStore } from './contract-harness';

export function routeContract(store: ContractStore<{ routes: RouteRepository }>): void {
  let repo: RouteRepository;
  beforeEach(() => {
    repo = store.repos.routes;
  });

  it('stores routes with their targets, fallbacks and retry policy', async () => {
    await repo.save(route());
    await repo.save(
      route({
        name: 'backup',
        strategy: 'round-robin',
        targets: [{ channelId: 'c3', model: 'm', weight: 1, priority: 0 }],
        fallbacks: [],
        aliases: ['fast'],
        retry: null,
      }),
    );
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
    expect(await repo.findByName('backup')).toMatchObject({ aliases: ['fast'], retry: null });
  });

  it('reads its dates back as dates', async () => {
    await repo.save(route());
    const found = (await repo.findByName('gpt-4o*')) as Route;
    expect(found.createdAt).toBeInstanceOf(Date);
    expect(found.createdAt.getTime()).toBe(T0.getTime());
  });

  it('deletes a route by name and says whether there was one', async () => {
    await repo.save(route({ name: 'kept' }));
    await repo.save(route({ name: 'to-delete' }));
    expect(await repo.delete('to-delete')).toBe(true);
    expect(await repo.findByName('to-delete')).toBeNull();
    expect(await repo.delete('to-delete')).toBe(false);
    expect(await repo.delete('never-there')).toBe(false);
    expect((await repo.findAll()).map((r) => r.name)).toEqual(['kept']);
  });

  it('rejects a second route with the same name', async () => {
    const first = await repo.save(route());
    await expect(repo.save(route({ id: randomUUID(), strategy: 'random' }))).rejects.toThrow();
    expect((await repo.findAll()).map((r) => [r.id, r.strategy])).toEqual([[first.id, 'priority']]);
  });

  it('renames a route saved again under its id', async () => {
    const saved = await repo.save(route());
    await repo.save({ ...saved, name: 'renamed' });
    expect(await repo.findByName('gpt-4o*')).toBeNull();
    expect((await repo.findAll()).map((r) => [r.id, r.name])).toEqual([[saved.id, 'renamed']]);
  });

  it('keeps what it stores apart from the objects its callers hold', async () => {
    const saved = route();
    await repo.save(saved);
    saved.targets[0].weight = 99;
    const found = (await repo.findByName('gpt-4o*')) as Route;
    found.fallbacks.push('changed-after-find');
    expect(await repo.findByName('gpt-4o*')).toMatchObject({
      targets: [expect.objectContaining({ weight: 1 }), expect.objectContaining({ weight: 3 })],
      fallbacks: ['backup'],
    });
  });
}
