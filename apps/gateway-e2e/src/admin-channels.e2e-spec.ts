import { startMockHttpServer, startMockUpstream, type MockUpstream } from '@synapse/testing';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import OpenAI from 'openai';
import { accessToken, graphql as gqlRequest, type GqlBody } from './support/admin-session';
import { removeDir, startGateway, tempDir, type GatewayProcess } from './support/gateway-process';
import { apiError } from './support/openai-calls';
import { sqliteRows } from './support/sqlite-rows';

const PASSWORD = 'e2e-channels-password';
const OWNER = 'owner@example.com';
const OPERATOR = 'operator@example.com';
const AUDITOR = 'auditor@example.com';
const MEMBER = 'member@example.com';
const GATEWAY_KEY = 'sk-admin-channels-0123456789abcdef';
const FIRST_KEY = 'sk-upstream-first-SECRET-a1b2';
const SECOND_KEY = 'sk-upstream-second-SECRET-c3d4';
const MODEL = 'team-model';

const FIELDS = 'id name baseUrl apiKeyHint models enabled headerNames';
const CHANNELS = `{ channels { ${FIELDS} } }`;
const CREATE = `mutation($input: CreateChannelInput!) { createChannel(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateChannelInput!) { updateChannel(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = 'mutation($id: ID!) { deleteChannel(id: $id) }';
const TEST = 'mutation($id: ID!) { testChannel(id: $id) { ok latencyMs error detail } }';
const UPSERT_ROUTE = 'mutation($input: RouteInput!) { upsertRoute(input: $input) { name } }';
const DELETE_ROUTE = 'mutation($name: String!) { deleteRoute(name: $name) }';

/** Channels created and changed through GraphQL are used on /v1 at once; their key is write-only and stored sealed. */
describe('channels managed through the admin API (built gateway, openai SDK)', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;
  let dataDir: string;
  let client: OpenAI;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    upstream = await startMockUpstream();
    dataDir = tempDir();
    gateway = await startGateway({
      dataDir,
      env: { ADMIN_EMAIL: OWNER, ADMIN_PASSWORD: PASSWORD, E2E_PASSWORD: PASSWORD, HEALTH_CHECK_INTERVAL_MS: '0' },
      config: `
keys:
  - { name: e2e, key: ${GATEWAY_KEY} }
users:
  - email: ${OPERATOR}
    role: operator
    password: \${E2E_PASSWORD}
  - email: ${AUDITOR}
    role: auditor
    password: \${E2E_PASSWORD}
  - email: ${MEMBER}
    role: member
    password: \${E2E_PASSWORD}
`,
    });
    client = new OpenAI({ apiKey: GATEWAY_KEY, baseURL: gateway.baseURL, maxRetries: 0 });
    for (const email of [OWNER, OPERATOR, AUDITOR, MEMBER])
      tokens[email] = await accessToken(gateway.url, email, PASSWORD);
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (dataDir) removeDir(dataDir);
  });

  const graphql = (query: string, as: string, variables?: Record<string, unknown>) =>
    gqlRequest(gateway.url, query, tokens[as], variables);
  const ok = (body: GqlBody) => {
    expect(body.errors).toBeUndefined();
    return body.data as Record<string, Record<string, unknown>>;
  };
  const codesOf = (body: GqlBody) => body.errors?.map((e) => e.extensions?.['code']);

  /** One chat call; the Authorization and x-team headers the mock upstream received with it. */
  async function upstreamHeadersOfOneCall() {
    const before = upstream.requests.length;
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0].message.content).toBe('Hello from the mock upstream.');
    const [request] = upstream.requests.slice(before);
    expect(request.body['model']).toBe('upstream-model');
    return { authorization: request.headers['authorization'], team: request.headers['x-team'] };
  }

  it('routes to a channel created at run time with its key, shows only the hint, stores only ciphertext, and uses a new key at once', async () => {
    const created = ok(
      await graphql(CREATE, OWNER, {
        input: {
          name: 'runtime-chan',
          baseUrl: upstream.url,
          apiKey: FIRST_KEY,
          models: ['upstream-model'],
          headers: [{ name: 'x-team', value: 'team-header-SECRET' }],
        },
      }),
    ).createChannel;
    expect(created).toMatchObject({ name: 'runtime-chan', apiKeyHint: '…a1b2', headerNames: ['x-team'] });
    ok(
      await graphql(UPSERT_ROUTE, OWNER, {
        input: { name: MODEL, targets: [{ channel: 'runtime-chan', model: 'upstream-model' }] },
      }),
    );

    expect(await upstreamHeadersOfOneCall()).toEqual({
      authorization: `Bearer ${FIRST_KEY}`,
      team: 'team-header-SECRET',
    });

    const listed = await graphql(CHANNELS, AUDITOR);
    expect(ok(listed).channels).toEqual([created]);
    expect(JSON.stringify(listed)).not.toContain('SECRET');

    const [row] = sqliteRows<{ api_key_encrypted: string; api_key_hint: string }>(
      dataDir,
      "SELECT api_key_encrypted, api_key_hint FROM channels WHERE name = 'runtime-chan'",
    );
    expect(row.api_key_encrypted).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(row.api_key_hint).toBe('…a1b2');
    // Neither the key nor a header value is on disk in clear, and the header is used as given.
    for (const file of ['synapse.db', 'synapse.db-wal'].map((f) => join(dataDir, f)).filter(existsSync)) {
      expect(readFileSync(file).includes(FIRST_KEY)).toBe(false);
      expect(readFileSync(file).includes('team-header-SECRET')).toBe(false);
    }

    const rotated = ok(await graphql(UPDATE, OWNER, { id: created['id'], input: { apiKey: SECOND_KEY } }));
    expect(rotated.updateChannel).toMatchObject({ apiKeyHint: '…c3d4', headerNames: ['x-team'] });
    expect((await upstreamHeadersOfOneCall()).authorization).toBe(`Bearer ${SECOND_KEY}`);
  });

  it('lets an operator disable, enable and (once no route targets it) delete a channel; auditors and members may only read or nothing', async () => {
    const [channel] = ok(await graphql(CHANNELS, OPERATOR)).channels as unknown as { id: string }[];

    for (const as of [AUDITOR, MEMBER]) {
      const refused = await graphql(UPDATE, as, { id: channel.id, input: { enabled: false } });
      expect(codesOf(refused)).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await graphql(CHANNELS, MEMBER))).toEqual(['FORBIDDEN']);

    ok(await graphql(UPDATE, OPERATOR, { id: channel.id, input: { enabled: false } }));
    const error = await apiError(
      client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(error.status).toBe(404);
    ok(await graphql(UPDATE, OPERATOR, { id: channel.id, input: { enabled: true } }));
    expect((await upstreamHeadersOfOneCall()).authorization).toBe(`Bearer ${SECOND_KEY}`);

    const inUse = await graphql(DELETE, OPERATOR, { id: channel.id });
    expect(codesOf(inUse)).toEqual(['CONFLICT']);
    expect(inUse.errors?.[0].message).toContain(`'${MODEL}'`);
    ok(await graphql(DELETE_ROUTE, OPERATOR, { name: MODEL }));
    expect(ok(await graphql(DELETE, OPERATOR, { id: channel.id }))).toEqual({ deleteChannel: true });
    expect(ok(await graphql(CHANNELS, OPERATOR)).channels).toEqual([]);
  });

  it('tests a channel on demand with its stored key (test connection), and says why a dead one fails', async () => {
    const created = ok(
      await graphql(CREATE, OPERATOR, {
        input: { name: 'probe-ok', baseUrl: upstream.url, apiKey: FIRST_KEY, models: ['probe-model'] },
      }),
    )['createChannel'] as { id: string };
    const before = upstream.requests.length;
    const tested = ok(await graphql(TEST, OPERATOR, { id: created.id }))['testChannel'];
    expect(tested).toMatchObject({ ok: true, error: null, detail: null });
    expect(typeof tested['latencyMs']).toBe('number');
    const probe = upstream.requests.slice(before);
    expect(probe.map((r) => r.path)).toEqual(['/v1/models']);
    expect(probe[0].headers['authorization']).toBe(`Bearer ${FIRST_KEY}`);

    // A port nobody listens on: the verdict names the failure class, never the key.
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const dead = ok(
      await graphql(CREATE, OPERATOR, {
        input: { name: 'probe-dead', baseUrl: `http://127.0.0.1:${closed}/v1`, apiKey: SECOND_KEY, models: ['m'] },
      }),
    )['createChannel'] as { id: string };
    const failed = ok(await graphql(TEST, OPERATOR, { id: dead.id }))['testChannel'];
    expect(failed).toMatchObject({
      ok: false,
      latencyMs: null,
      error: 'upstream_unreachable',
      detail: 'upstream is unreachable',
    });
    expect(JSON.stringify(failed)).not.toContain(SECOND_KEY);

    // A server that answers, but has no model list (Perplexity, many others): alive. One that
    // rejects the key, or fails: not.
    // And a website at the base URL (its /v1 left out): web pages, whatever their status.
    const statuses: Record<string, number> = { '/nolist/models': 404, '/denied/models': 401, '/broken/models': 503 };
    const site = await startMockHttpServer(({ req, res }) => {
      if (req.url === '/website/models') {
        return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html><title>Not Found</title></html>');
      }
      res.writeHead(statuses[req.url ?? ''] ?? 200, { 'content-type': 'application/json' }).end('{}');
    });
    const verdicts: Record<string, unknown> = {};
    for (const path of ['nolist', 'denied', 'broken', 'website']) {
      const channel = ok(
        await graphql(CREATE, OPERATOR, {
          input: { name: `probe-${path}`, baseUrl: `http://127.0.0.1:${site.port}/${path}`, models: ['m'] },
        }),
      )['createChannel'] as { id: string };
      const { ok: answered, error, detail } = ok(await graphql(TEST, OPERATOR, { id: channel.id }))['testChannel'];
      verdicts[path] = { ok: answered, error, detail };
      ok(await graphql(DELETE, OPERATOR, { id: channel.id }));
    }
    await site.close();
    expect(verdicts).toEqual({
      nolist: { ok: true, error: null, detail: null },
      denied: {
        ok: false,
        error: 'status_401',
        detail: "the upstream refused the channel's key (401): check its API key",
      },
      broken: { ok: false, error: 'status_503', detail: 'the upstream failed (503)' },
      website: {
        ok: false,
        error: 'upstream_invalid_response',
        detail:
          'the base URL serves web pages (HTML at /models, status 404): check its path (an OpenAI-compatible API usually ends in /v1)',
      },
    });

    // Auditors read channels but may not make the gateway call upstreams.
    expect(codesOf(await graphql(TEST, AUDITOR, { id: created.id }))).toEqual(['FORBIDDEN']);
    for (const id of [created.id, dead.id]) ok(await graphql(DELETE, OPERATOR, { id }));
  });
});
