import { startAdminApiTestApp, type AdminApiTestApp, type GqlResponse } from '../testing/admin-api-test-app';
import { RoutesResolver } from './routes.resolver';
import { fakeChannel } from '../testing/fake-channel';

const ROUTES = `{ routes { name strategy aliases fallbacks
  retry { attempts retryOn backoffMs maxBackoffMs maxRetryAfterMs }
  targets { channelId channelName model weight priority rpm tpm } } }`;
const UPSERT = `mutation($input: RouteInput!) { upsertRoute(input: $input) { name strategy
  retry { attempts retryOn } targets { channelName model weight priority } } }`;
const DELETE = 'mutation($name: String!) { deleteRoute(name: $name) }';

/** The routes operations over GraphQL, as the gateway serves them, on an in-memory store. */
describe(RoutesResolver.name, () => {
  let t: AdminApiTestApp;

  beforeAll(async () => {
    t = await startAdminApiTestApp();
  });

  afterAll(() => t.close());

  beforeEach(async () => {
    t.routes.routes.clear();
    t.channels.channels.clear();
    t.bus.published.length = 0;
    for (const name of ['a', 'b']) await t.channels.save(fakeChannel(name));
  });

  const codes = (response: GqlResponse) => response.errors?.map((e) => e.extensions?.['code']);

  it('creates a route from GraphQL enums and defaults, lists it, and deletes it', async () => {
    const token = await t.tokenFor('operator');
    const created = await t.graphql(UPSERT, {
      token,
      variables: {
        input: {
          name: 'team-model',
          strategy: 'PRIORITY',
          targets: [
            { channel: 'b', priority: 2 },
            { channel: 'a', model: 'up-a', weight: 0.5 },
          ],
          retry: { attempts: 2, retryOn: ['STATUS_429', 'STATUS_5XX', 'CONNECT'] },
        },
      },
    });
    expect(created).toEqual({
      status: 200,
      data: {
        upsertRoute: {
          name: 'team-model',
          strategy: 'PRIORITY',
          retry: { attempts: 2, retryOn: ['STATUS_429', 'STATUS_5XX', 'CONNECT'] },
          targets: [
            { channelName: 'b', model: 'team-model', weight: 1, priority: 2 },
            { channelName: 'a', model: 'up-a', weight: 0.5, priority: 0 },
          ],
        },
      },
    });
    expect((await t.routes.findByName('team-model'))?.retry).toEqual({
      attempts: 2,
      retryOn: ['429', '5xx', 'connect'],
    });
    expect(t.bus.published).toEqual(['catalog']);

    const listed = await t.graphql(ROUTES, { token: await t.tokenFor('auditor') });
    expect(listed.data).toEqual({
      routes: [
        {
          name: 'team-model',
          strategy: 'PRIORITY',
          aliases: [],
          fallbacks: [],
          retry: {
            attempts: 2,
            retryOn: ['STATUS_429', 'STATUS_5XX', 'CONNECT'],
            backoffMs: null,
            maxBackoffMs: null,
            maxRetryAfterMs: null,
          },
          targets: [
            { channelId: 'id-b', channelName: 'b', model: 'team-model', weight: 1, priority: 2, rpm: null, tpm: null },
            { channelId: 'id-a', channelName: 'a', model: 'up-a', weight: 0.5, priority: 0, rpm: null, tpm: null },
          ],
        },
      ],
    });

    expect(await t.graphql(DELETE, { token, variables: { name: 'team-model' } })).toEqual({
      status: 200,
      data: { deleteRoute: true },
    });
    expect(t.routes.routes.size).toBe(0);
    expect(t.bus.published).toEqual(['catalog', 'catalog']);
  });

  it('answers BAD_USER_INPUT with the field path, and NOT_FOUND for an unknown route', async () => {
    const token = await t.tokenFor('admin');
    const input = { name: 'r', targets: [{ channel: 'a' }, { channel: 'b', weight: 0 }] };
    const refused = await t.graphql(UPSERT, { token, variables: { input } });
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0].message).toBe('targets[1].weight: must be positive');
    expect(refused.data).toBeNull();

    const unknown = await t.graphql(UPSERT, {
      token,
      variables: { input: { name: 'r', targets: [{ channel: 'x' }] } },
    });
    expect(unknown.errors?.map((e) => [e.extensions?.['code'], e.message])).toEqual([
      ['BAD_USER_INPUT', "targets[0].channel: no channel 'x'"],
    ]);

    const missing = await t.graphql(DELETE, { token, variables: { name: 'nope' } });
    expect(missing.errors?.map((e) => [e.extensions?.['code'], e.message])).toEqual([
      ['NOT_FOUND', "No route is named 'nope'."],
    ]);
    expect(codes(await t.graphql(DELETE, { token, variables: { name: '' } }))).toEqual(['BAD_USER_INPUT']);
    const controlled = await t.graphql(UPSERT, {
      token,
      variables: { input: { name: 'r\r\nforged', targets: [{ channel: 'a', model: 'm\u0000' }] } },
    });
    expect(controlled.errors?.map((e) => e.message)).toEqual([
      'name: must not contain control characters; targets[0].model: must not contain control characters',
    ]);
    expect(t.routes.routes.size).toBe(0);
    expect(t.bus.published).toEqual([]);
  });

  it('refuses values the schema cannot take before the service sees them', async () => {
    const token = await t.tokenFor('owner');
    for (const input of [
      { name: 'r', strategy: 'FASTEST', targets: [{ channel: 'a' }] },
      { name: 'r', targets: [{ channel: 'a', weight: null }] },
      { name: 'r', targets: [{ channel: 'a', priority: 1.5 }] },
      { name: 'r', targets: [{ channel: 'a' }], retry: { retryOn: ['429'] } },
      { name: 'r', targets: [{ channel: 'a', extra: 1 }] },
    ]) {
      expect(codes(await t.graphql(UPSERT, { token, variables: { input } }))).toEqual(['BAD_USER_INPUT']);
    }
    expect(t.routes.routes.size).toBe(0);
  });

  // Who may call what: authorization-matrix.spec.ts. Here: a refused call changes nothing.
  it.each(['auditor', 'member'] as const)('leaves the routes alone when %s is refused', async (role) => {
    await t.graphql(UPSERT, {
      token: await t.tokenFor('owner'),
      variables: { input: { name: 'r', targets: [{ channel: 'a' }] } },
    });
    t.bus.published.length = 0;
    const token = await t.tokenFor(role);
    const upsert = await t.graphql(UPSERT, { token, variables: { input: { name: 'r', targets: [{ channel: 'b' }] } } });
    const created = await t.graphql(UPSERT, {
      token,
      variables: { input: { name: 'new', targets: [{ channel: 'b' }] } },
    });
    const deleted = await t.graphql(DELETE, { token, variables: { name: 'r' } });
    expect([upsert, created, deleted].map(codes)).toEqual([['FORBIDDEN'], ['FORBIDDEN'], ['FORBIDDEN']]);
    const routes = await t.routes.findAll();
    expect(routes.map((r) => r.name)).toEqual(['r']);
    expect(routes[0].targets[0].channelId).toBe('id-a');
    expect(t.bus.published).toEqual([]);
  });
});
