import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import OpenAI from 'openai';
import { accessToken, graphql as gqlRequest, type GqlBody } from './support/admin-session';
import { removeDir, startGateway, tempDir, type GatewayProcess } from './support/gateway-process';
import { apiError } from './support/openai-calls';

const ADMIN_EMAIL = 'owner@example.com';
const ADMIN_PASSWORD = 'e2e-owner-password';
const AUDITOR_EMAIL = 'auditor@example.com';
const AUDITOR_PASSWORD = 'e2e-auditor-password';
const KEY = 'sk-admin-routes-0123456789abcdef';
/** Listed by no channel, so that without a route it has no implicit route either. */
const MODEL = 'team-model';

interface RouteView {
  name: string;
  fallbacks: string[];
  targets: { channelId: string; channelName: string; model: string; weight: number }[];
}

const ROUTES = '{ routes { name fallbacks targets { channelId channelName model weight } } }';
const UPSERT = `mutation($input: RouteInput!) {
  upsertRoute(input: $input) { name fallbacks targets { channelId channelName model weight } } }`;
const DELETE = 'mutation($name: String!) { deleteRoute(name: $name) }';

/** Routes changed at run time through GraphQL take effect on /v1 at once, checked like the config file. */
describe('routes edited through the admin API (built gateway, openai SDK)', () => {
  let upstreamA: MockUpstream;
  let upstreamB: MockUpstream;
  let gateway: GatewayProcess;
  let dataDir: string;
  let client: OpenAI;
  let owner: string;

  beforeAll(async () => {
    [upstreamA, upstreamB] = await Promise.all([startMockUpstream(), startMockUpstream()]);
    dataDir = tempDir();
    const env = { ADMIN_EMAIL, ADMIN_PASSWORD, HEALTH_CHECK_INTERVAL_MS: '0' };
    gateway = await startGateway({
      dataDir,
      env: { ...env, AUDITOR_PASSWORD },
      config: `
channels:
  - { name: chan-a, baseUrl: "${upstreamA.url}", models: [model-a] }
  - { name: chan-b, baseUrl: "${upstreamB.url}", models: [model-b] }
keys:
  - { name: e2e, key: ${KEY} }
users:
  - email: ${AUDITOR_EMAIL}
    role: auditor
    password: \${AUDITOR_PASSWORD}
`,
    });
    client = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
    owner = await tokenOf(ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([upstreamA, upstreamB].map((u) => u?.close()));
    if (dataDir) removeDir(dataDir);
  });

  const tokenOf = (email: string, password: string) => accessToken(gateway.url, email, password);
  const graphql = (query: string, token: string, variables?: Record<string, unknown>) =>
    gqlRequest(gateway.url, query, token, variables);

  const errorsOf = (body: GqlBody) => body.errors?.map((e) => [e.extensions?.['code'], e.message]);

  async function routes(token = owner): Promise<RouteView[]> {
    const body = await graphql(ROUTES, token);
    expect(body.errors).toBeUndefined();
    return body.data?.['routes'] as RouteView[];
  }

  async function upsert(input: Record<string, unknown>, token = owner): Promise<GqlBody> {
    return graphql(UPSERT, token, { input });
  }

  const chatPosts = (upstream: MockUpstream) => upstream.requests.filter((r) => r.path.endsWith('/chat/completions'));

  /** One chat call for the model; says which mock received it, with which model name, and the route headers. */
  async function served(model = MODEL) {
    const [before, beforeB] = [chatPosts(upstreamA).length, chatPosts(upstreamB).length];
    const { data, response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe('Hello from the mock upstream.');
    const byA = chatPosts(upstreamA).slice(before);
    const byB = chatPosts(upstreamB).slice(beforeB);
    expect(byA.length + byB.length).toBe(1);
    return {
      upstream: byA.length ? 'A' : 'B',
      upstreamModel: [...byA, ...byB][0].body['model'],
      route: response.headers.get('x-synapse-route'),
      channel: response.headers.get('x-synapse-channel'),
      model: response.headers.get('x-synapse-model'),
    };
  }

  it('knows no team-model before a route is created', async () => {
    const error = await apiError(served());
    expect(error.status).toBe(404);
    expect(error.code).toBe('model_not_found');
    expect(await routes()).toEqual([]);
  });

  it('serves a route created by the owner at once, from the channel it names', async () => {
    const created = await upsert({ name: MODEL, targets: [{ channel: 'chan-b' }] });
    expect(created.errors).toBeUndefined();
    const route = created.data?.['upsertRoute'] as RouteView;
    expect(route).toEqual({
      name: MODEL,
      fallbacks: [],
      targets: [{ channelId: expect.any(String), channelName: 'chan-b', model: MODEL, weight: 1 }],
    });
    expect(await served()).toEqual({
      upstream: 'B',
      upstreamModel: MODEL,
      route: MODEL,
      channel: route.targets[0].channelId,
      model: MODEL,
    });
    expect((await client.models.list()).data.map((m) => m.id)).toContain(MODEL);
  });

  it('moves the route to another channel and upstream model at once', async () => {
    const updated = await upsert({ name: MODEL, targets: [{ channel: 'chan-a', model: 'model-a' }] });
    expect(updated.errors).toBeUndefined();
    const channelA = (updated.data?.['upsertRoute'] as RouteView).targets[0].channelId;
    expect(await served()).toEqual({
      upstream: 'A',
      upstreamModel: 'model-a',
      route: MODEL,
      channel: channelA,
      model: 'model-a',
    });
  });

  it('refuses invalid routes with BAD_USER_INPUT and changes nothing', async () => {
    const before = await routes();
    expect(before).toHaveLength(1);
    // A second route that falls back to team-model: valid, and the start of a would-be cycle.
    const backup = await upsert({ name: 'team-backup', targets: [{ channel: 'chan-b' }], fallbacks: [MODEL] });
    expect(backup.errors).toBeUndefined();
    const withBackup = await routes();

    expect(errorsOf(await upsert({ name: MODEL, targets: [{ channel: 'chan-x' }] }))).toEqual([
      ['BAD_USER_INPUT', "targets[0].channel: no channel 'chan-x'"],
    ]);
    expect(
      errorsOf(await upsert({ name: MODEL, targets: [{ channel: 'chan-b' }], fallbacks: ['team-backup'] })),
    ).toEqual([
      ['BAD_USER_INPUT', `routes[${MODEL}].fallbacks: fallback cycle team-backup -> ${MODEL} -> team-backup`],
    ]);
    expect(
      errorsOf(await upsert({ name: MODEL, targets: [{ channel: 'chan-a' }, { channel: 'chan-b', weight: 0 }] })),
    ).toEqual([['BAD_USER_INPUT', 'targets[1].weight: must be positive']]);
    expect(errorsOf(await graphql(DELETE, owner, { name: MODEL }))).toEqual([
      ['BAD_USER_INPUT', `Route '${MODEL}' is a fallback of 'team-backup': take it out of their fallbacks first.`],
    ]);

    expect(await routes()).toEqual(withBackup);
    expect(await served()).toMatchObject({ upstream: 'A', upstreamModel: 'model-a' });
    expect((await graphql(DELETE, owner, { name: 'team-backup' })).data).toEqual({ deleteRoute: true });
    expect(await routes()).toEqual(before);
  });

  it('lets an auditor read the routes but not change them', async () => {
    const auditor = await tokenOf(AUDITOR_EMAIL, AUDITOR_PASSWORD);
    const before = await routes();
    expect(await routes(auditor)).toEqual(before);
    const refused = await upsert({ name: MODEL, targets: [{ channel: 'chan-b' }] }, auditor);
    expect(refused.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    expect(refused.data).toBeNull();
    expect((await graphql(DELETE, auditor, { name: MODEL })).errors?.[0].extensions?.['code']).toBe('FORBIDDEN');
    expect(await routes()).toEqual(before);
    expect(await served()).toMatchObject({ upstream: 'A' });
  });

  it('deletes the route; the model is then unknown on /v1', async () => {
    expect((await graphql(DELETE, owner, { name: MODEL })).data).toEqual({ deleteRoute: true });
    expect(await routes()).toEqual([]);
    const error = await apiError(served());
    expect(error.status).toBe(404);
    expect(error.code).toBe('model_not_found');
    expect(errorsOf(await graphql(DELETE, owner, { name: MODEL }))).toEqual([
      ['NOT_FOUND', `No route is named '${MODEL}'.`],
    ]);
  });
});
