import type { Route as StoredRoute } from '@synapse/gateway/persistence';
import type { GraphQLError } from 'graphql';
import type { RouteInput } from './dto/route.input';
import { FakeRoutingAdmin } from '../testing/fake-routing-admin';
import { RoutesService } from './routes.service';
import { InMemoryChannelRepository, InMemoryRouteRepository } from '@synapse/gateway/persistence/testing';
import { fakeChannel } from '../testing/fake-channel';

function stored(name: string, overrides: Partial<StoredRoute> = {}): StoredRoute {
  const at = new Date('2020-01-01T00:00:00Z');
  return {
    id: `route-${name}`,
    name,
    strategy: 'round-robin',
    targets: [{ channelId: 'id-a', model: name, weight: 1, priority: 0 }],
    fallbacks: [],
    aliases: [],
    retry: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

describe(RoutesService.name, () => {
  let routes: InMemoryRouteRepository;
  let channels: InMemoryChannelRepository;
  let bus: FakeRoutingAdmin;
  let service: RoutesService;

  beforeEach(async () => {
    routes = new InMemoryRouteRepository();
    channels = new InMemoryChannelRepository();
    bus = new FakeRoutingAdmin();
    for (const name of ['a', 'b']) await channels.save(fakeChannel(name));
    service = new RoutesService(routes, channels, bus);
  });

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a GraphQL error');
      },
      (error: GraphQLError) => ({ code: error.extensions?.['code'], message: error.message }),
    );

  /** Asserts that a refused change left the store and the replicas alone. */
  async function expectUnchanged(before: StoredRoute[]) {
    expect(await routes.findAll()).toEqual(before);
    expect(bus.published).toEqual([]);
  }

  describe('upsert', () => {
    it('stores a new route with channels resolved by name and the config file defaults, then tells every replica', async () => {
      const heard: (StoredRoute | null)[] = [];
      bus.subscribe('catalog', () => void routes.findByName('team-model').then((r) => heard.push(r)));
      const view = await service.upsert({
        name: 'team-model',
        targets: [{ channel: 'b' }, { channel: 'a', model: 'other-model', weight: 2.5, priority: 1, rpm: 60 }],
      });
      expect(view).toEqual({
        name: 'team-model',
        strategy: 'round-robin',
        aliases: [],
        fallbacks: [],
        retry: null,
        captureBodies: false,
        targets: [
          { channelId: 'id-b', channelName: 'b', model: 'team-model', weight: 1, priority: 0, rpm: null, tpm: null },
          { channelId: 'id-a', channelName: 'a', model: 'other-model', weight: 2.5, priority: 1, rpm: 60, tpm: null },
        ],
      });
      const saved = await routes.findByName('team-model');
      expect(saved).toMatchObject({
        id: expect.any(String),
        targets: [
          { channelId: 'id-b', model: 'team-model', weight: 1, priority: 0 },
          { channelId: 'id-a', model: 'other-model', weight: 2.5, priority: 1, rpm: 60 },
        ],
      });
      expect(saved?.targets[0]).not.toHaveProperty('rpm');
      expect(bus.published).toEqual(['catalog']);
      await new Promise((resolve) => setImmediate(resolve));
      expect(heard).toEqual([saved]);
    });

    it("forwards the requested name ('*') on a pattern route whose target names no model", async () => {
      const view = await service.upsert({ name: 'gpt-4o*', targets: [{ channel: 'a' }] });
      expect(view.targets[0].model).toBe('*');
    });

    it('replaces an existing route whole, keeping its id and creation date', async () => {
      await routes.save(stored('team-model', { aliases: ['old'], retry: { attempts: 2 } }));
      const view = await service.upsert({
        name: 'team-model',
        strategy: 'priority',
        targets: [{ channel: 'a', model: 'm' }],
        retry: { attempts: 5, retryOn: ['429', '5xx'], backoffMs: null },
      });
      expect(view).toMatchObject({
        strategy: 'priority',
        aliases: [],
        retry: { attempts: 5, retryOn: ['429', '5xx'], backoffMs: null, maxBackoffMs: null, maxRetryAfterMs: null },
      });
      const saved = await routes.findByName('team-model');
      expect(saved).toMatchObject({ id: 'route-team-model', retry: { attempts: 5, retryOn: ['429', '5xx'] } });
      expect(saved?.retry).not.toHaveProperty('backoffMs');
      expect(saved?.createdAt.toISOString()).toBe('2020-01-01T00:00:00.000Z');
      expect(saved?.updatedAt.getTime()).toBeGreaterThan(saved?.createdAt.getTime() as number);
    });

    it.each<[string, RouteInput, string]>([
      [
        'a weight of 0',
        { name: 'r', targets: [{ channel: 'a' }, { channel: 'b', weight: 0 }] },
        'targets[1].weight: must be positive',
      ],
      ['no target', { name: 'r', targets: [] }, 'targets: must list at least one target'],
      ['an empty name', { name: '', targets: [{ channel: 'a' }] }, 'name: must not be empty'],
      [
        'a channel name no channel can have',
        { name: 'r', targets: [{ channel: 'no spaces' }] },
        'targets[0].channel: must be 1-64 letters, digits, dots, dashes or underscores',
      ],
      ['a negative rpm', { name: 'r', targets: [{ channel: 'a', rpm: -1 }] }, 'targets[0].rpm: must be positive'],
      [
        'too many attempts and a negative backoff',
        { name: 'r', targets: [{ channel: 'a' }], retry: { attempts: 11, backoffMs: -1 } },
        'retry.attempts: must be at most 10; retry.backoffMs: must not be negative',
      ],
      ['an empty alias', { name: 'r', targets: [{ channel: 'a' }], aliases: [''] }, 'aliases[0]: must not be empty'],
    ])('refuses %s with the config file schema message', async (_what, input, message) => {
      const before = await routes.findAll();
      expect(await failure(service.upsert(input))).toEqual({ code: 'BAD_USER_INPUT', message });
      await expectUnchanged(before);
    });

    it('refuses targets on channels that do not exist, naming each', async () => {
      const result = await failure(
        service.upsert({ name: 'r', targets: [{ channel: 'x' }, { channel: 'a' }, { channel: 'y' }] }),
      );
      expect(result).toEqual({
        code: 'BAD_USER_INPUT',
        message: "targets[0].channel: no channel 'x'; targets[2].channel: no channel 'y'",
      });
      await expectUnchanged([]);
    });

    it.each<[string, RouteInput, string]>([
      [
        'an unknown fallback',
        { name: 'r', targets: [{ channel: 'a' }], fallbacks: ['nope'] },
        "routes[r].fallbacks: unknown route 'nope'",
      ],
      [
        'a fallback cycle through stored routes',
        { name: 'first', targets: [{ channel: 'a' }], fallbacks: ['second'] },
        'routes[second].fallbacks: fallback cycle first -> second -> first',
      ],
      [
        "an alias that is another route's name",
        { name: 'r', targets: [{ channel: 'a' }], aliases: ['first'] },
        "routes[r].aliases: 'first' is already a name or alias of route 'first'",
      ],
      [
        "an alias that is another route's alias",
        { name: 'r', targets: [{ channel: 'a' }], aliases: ['taken'] },
        "routes[r].aliases: 'taken' is already a name or alias of route 'second'",
      ],
      [
        'the same target twice',
        {
          name: 'r',
          targets: [
            { channel: 'a', model: 'm' },
            { channel: 'a', model: 'm' },
          ],
        },
        "routes[r].targets[1]: duplicate target 'id-a/m'",
      ],
    ])('refuses %s with the route table message', async (_what, input, message) => {
      await routes.save(stored('first'));
      await routes.save(stored('second', { fallbacks: ['first'], aliases: ['taken'] }));
      const before = await routes.findAll();
      expect(await failure(service.upsert(input))).toEqual({ code: 'BAD_USER_INPUT', message });
      await expectUnchanged(before);
    });

    it('accepts a fallback to a stored route and an update that keeps the table valid', async () => {
      await routes.save(stored('backup'));
      await service.upsert({ name: 'main', targets: [{ channel: 'a' }], fallbacks: ['backup'] });
      await service.upsert({ name: 'backup', targets: [{ channel: 'b' }], aliases: ['spare'] });
      expect((await routes.findAll()).map((r) => [r.name, r.fallbacks, r.aliases])).toEqual([
        ['backup', [], ['spare']],
        ['main', ['backup'], []],
      ]);
      expect(bus.published).toEqual(['catalog', 'catalog']);
    });

    it('checks concurrent changes one after the other, so that they cannot close a cycle together', async () => {
      await routes.save(stored('x'));
      await routes.save(stored('y'));
      const results = await Promise.allSettled([
        service.upsert({ name: 'x', targets: [{ channel: 'a' }], fallbacks: ['y'] }),
        service.upsert({ name: 'y', targets: [{ channel: 'a' }], fallbacks: ['x'] }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
      expect((await routes.findByName('y'))?.fallbacks).toEqual([]);
    });

    it('tells no replica when the save failed, and takes the next change', async () => {
      routes.failSave = new Error('database gone');
      await expect(service.upsert({ name: 'r', targets: [{ channel: 'a' }] })).rejects.toThrow('database gone');
      expect(bus.published).toEqual([]);
      routes.failSave = undefined;
      await service.upsert({ name: 'r', targets: [{ channel: 'a' }] });
      expect(bus.published).toEqual(['catalog']);
    });
  });

  describe('list', () => {
    it('shows stored routes by name with channel names, null where a channel is gone', async () => {
      await routes.save(
        stored('z', {
          strategy: 'weighted',
          targets: [
            { channelId: 'id-b', model: 'm', weight: 3, priority: 0, tpm: 1000 },
            { channelId: 'id-gone', model: 'm', weight: 1, priority: 0 },
          ],
          retry: { retryOn: ['connect'] },
        }),
      );
      await routes.save(stored('a-route'));
      const list = await service.list();
      expect(list.map((r) => r.name)).toEqual(['a-route', 'z']);
      expect(list[1]).toEqual({
        name: 'z',
        strategy: 'weighted',
        aliases: [],
        fallbacks: [],
        retry: { attempts: null, retryOn: ['connect'], backoffMs: null, maxBackoffMs: null, maxRetryAfterMs: null },
        captureBodies: false,
        targets: [
          { channelId: 'id-b', channelName: 'b', model: 'm', weight: 3, priority: 0, rpm: null, tpm: 1000 },
          { channelId: 'id-gone', channelName: null, model: 'm', weight: 1, priority: 0, rpm: null, tpm: null },
        ],
      });
    });
  });

  describe('delete', () => {
    it('deletes a route and tells every replica', async () => {
      await routes.save(stored('r'));
      expect(await service.delete('r')).toBe(true);
      expect(await routes.findAll()).toEqual([]);
      expect(bus.published).toEqual(['catalog']);
    });

    it('answers NOT_FOUND for a name no route has (an alias is not a name)', async () => {
      await routes.save(stored('r', { aliases: ['fast'] }));
      for (const name of ['nope', 'fast']) {
        expect(await failure(service.delete(name))).toEqual({
          code: 'NOT_FOUND',
          message: `No route is named '${name}'.`,
        });
      }
      await expectUnchanged([stored('r', { aliases: ['fast'] })]);
    });

    it('refuses to delete a fallback of other routes and names them', async () => {
      await routes.save(stored('backup'));
      await routes.save(stored('one', { fallbacks: ['backup'] }));
      await routes.save(stored('two', { fallbacks: ['other', 'backup'] }));
      await routes.save(stored('other'));
      const before = await routes.findAll();
      expect(await failure(service.delete('backup'))).toEqual({
        code: 'BAD_USER_INPUT',
        message: "Route 'backup' is a fallback of 'one', 'two': take it out of their fallbacks first.",
      });
      await expectUnchanged(before);
    });
  });
});
