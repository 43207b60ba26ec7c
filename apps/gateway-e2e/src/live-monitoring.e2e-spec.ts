import { REDIS_URL, describeWithRedis, startMockUpstream, type MockUpstream } from '@synapse/testing';
import { createClient, type Client } from 'graphql-ws';
import OpenAI from 'openai';
import { WebSocket } from 'ws';
import { accessToken, graphql, type GqlBody } from './support/admin-session';
import { eventually } from './support/eventually';
import { removeDir, startGateway, tempDir, type GatewayProcess } from './support/gateway-process';

const OWNER = { email: 'owner@example.com', password: 'e2e-owner-password' };
const MEMBER = { email: 'member@example.com', password: 'e2e-member-password' };
const METRICS_TOKEN = 'e2e-metrics-token-0123456789';
const OWNER_KEY = 'sk-live-owner-0123456789abcdef0123';

interface Row {
  value: string;
  requests: number;
  errors: number;
  errorRate: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  ttftP50Ms: number | null;
  outputTokensPerSecond: number | null;
  inFlight: number;
}

const LIVE = `query($window: LiveMetricsWindow!, $groupBy: LiveMetricsGroupBy!) {
  liveMetrics(window: $window, groupBy: $groupBy) {
    rows { value requests errors errorRate latencyP50Ms latencyP99Ms ttftP50Ms outputTokensPerSecond inFlight }
  }
}`;

function rowsOf(body: GqlBody): Row[] {
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return (body.data?.['liveMetrics'] as { rows: Row[] }).rows;
}

function wsClient(gateway: GatewayProcess, token?: string): Client {
  return createClient({
    url: `${gateway.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
}

/** Collects what a subscription sends until the test is done with it. */
function collect<T>(
  client: Client,
  query: string,
): { items: T[]; ready: Promise<void>; stop: () => void; failed: Promise<unknown> } {
  const items: T[] = [];
  let fail!: (error: unknown) => void;
  const failed = new Promise<unknown>((resolve) => (fail = resolve));
  const ready = new Promise<void>((resolve) => client.on('connected', () => resolve()));
  const stop = client.subscribe<T>(
    { query },
    {
      next: (result) => (result.errors ? fail(result.errors) : items.push(Object.values(result.data ?? {})[0] as T)),
      error: fail,
      complete: () => undefined,
    },
  );
  return { items, ready, stop, failed };
}

/** Live metrics, /metrics and subscriptions of the built gateway, met with the openai SDK and graphql-ws. */
describe('live monitoring (built gateway, openai SDK, graphql-ws)', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;
  let owner: string;
  let member: string;
  let ownerClient: OpenAI;
  let memberClient: OpenAI;

  beforeAll(async () => {
    upstream = await startMockUpstream();
    gateway = await startGateway({
      dataDir: tempDir(),
      env: {
        ADMIN_EMAIL: OWNER.email,
        ADMIN_PASSWORD: OWNER.password,
        HEALTH_CHECK_INTERVAL_MS: '0',
        METRICS_TOKEN,
        LIVE_METRICS_PUSH_INTERVAL_MS: '1000',
      },
      config: `
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [gpt-4o-mini, other-model] }
keys:
  - { name: owner-key, key: ${OWNER_KEY} }
`,
    });
    owner = await accessToken(gateway.url, OWNER.email, OWNER.password);
    const created = await graphql(
      gateway.url,
      'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }',
      owner,
      { input: { email: MEMBER.email, role: 'member', password: MEMBER.password } },
    );
    expect(created.errors).toBeUndefined();
    const memberId = (created.data?.['createUser'] as { id: string }).id;
    const key = await graphql(
      gateway.url,
      'mutation($input: CreateGatewayKeyInput!) { createGatewayKey(input: $input) { secret } }',
      owner,
      { input: { name: 'member-key', userId: memberId } },
    );
    expect(key.errors).toBeUndefined();
    member = await accessToken(gateway.url, MEMBER.email, MEMBER.password);
    ownerClient = new OpenAI({ apiKey: OWNER_KEY, baseURL: gateway.baseURL, maxRetries: 0 });
    memberClient = new OpenAI({
      apiKey: (key.data?.['createGatewayKey'] as { secret: string }).secret,
      baseURL: gateway.baseURL,
      maxRetries: 0,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  const ask = (client: OpenAI, model = 'gpt-4o-mini', extra: Record<string, unknown> = {}) =>
    client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], ...extra });

  it('counts the calls made, with their error rate, latency percentiles, time to first token and tokens/s', async () => {
    for (let i = 0; i < 4; i++) await ask(ownerClient);
    for (let i = 0; i < 2; i++) {
      const stream = await ownerClient.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        mock: { chunks: 4, chunkDelayMs: 20 },
      } as OpenAI.ChatCompletionCreateParamsStreaming);
      for await (const chunk of stream) expect(chunk.object).toBe('chat.completion.chunk');
    }
    // An upstream failure: the mock answers 400, which the gateway relays.
    await expect(ask(ownerClient, 'gpt-4o-mini', { mock: { status: 400 } })).rejects.toMatchObject({ status: 400 });
    await expect(ask(ownerClient, 'no-such-model')).rejects.toMatchObject({ status: 404 });

    await eventually(async () => {
      const rows = rowsOf(await graphql(gateway.url, LIVE, owner, { window: 'ONE_MINUTE', groupBy: 'MODEL' }));
      const row = rows.find((r) => r.value === 'gpt-4o-mini');
      expect(row).toMatchObject({ requests: 7, errors: 1, inFlight: 0 });
      expect(row?.errorRate).toBeCloseTo(1 / 7, 6);
      expect(row?.latencyP50Ms).toBeGreaterThan(0);
      expect(row?.latencyP50Ms).toBeLessThanOrEqual(10_000);
      expect(row?.latencyP99Ms).toBeGreaterThanOrEqual(row?.latencyP50Ms as number);
      expect(row?.ttftP50Ms).toBeGreaterThan(0);
      expect(row?.outputTokensPerSecond).toBeGreaterThan(0);
      expect(rows.find((r) => r.value === 'no-such-model')).toMatchObject({ requests: 1, errors: 1 });
    });
    const byRoute = rowsOf(await graphql(gateway.url, LIVE, owner, { window: 'FIFTEEN_MINUTES', groupBy: 'ROUTE' }));
    // The failed call of an unknown model has no route.
    expect(byRoute.find((r) => r.value === 'gpt-4o-mini')?.requests).toBe(7);
    const byKey = rowsOf(await graphql(gateway.url, LIVE, owner, { window: 'FIVE_MINUTES', groupBy: 'KEY' }));
    expect(byKey.map((r) => r.requests)).toEqual([8]);
  });

  it('shows a member their own traffic only, and refuses them the totals of others', async () => {
    await ask(memberClient, 'other-model');
    await eventually(async () => {
      const rows = rowsOf(await graphql(gateway.url, LIVE, member, { window: 'ONE_MINUTE', groupBy: 'USER' }));
      expect(rows).toEqual([expect.objectContaining({ requests: 1, errors: 0 })]);
    });
    const byModel = await graphql(gateway.url, LIVE, member, { window: 'ONE_MINUTE', groupBy: 'MODEL' });
    expect(byModel.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    const bad = await graphql(gateway.url, LIVE, owner, { window: 'ONE_HOUR', groupBy: 'MODEL' });
    expect(bad.errors?.[0].extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('serves Prometheus metrics with the token only: buckets in seconds, no key or user label', async () => {
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${gateway.url}/metrics`, {
      headers: { authorization: 'Bearer wrong-token-0123456789' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('Bearer');
    const response = await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(
      /^synapse_requests_total\{model="gpt-4o-mini",channel="[^"]+",route="gpt-4o-mini",endpoint="chat.completions",status_class="2xx"\} 6$/m,
    );
    expect(text).toMatch(
      /^synapse_requests_total\{model="no-such-model",channel="none",route="none",.*status_class="4xx"\} 1$/m,
    );
    expect(text).toMatch(/^synapse_request_duration_seconds_bucket\{.*le="0.005"\} \d+$/m);
    expect(text).toMatch(/^synapse_request_duration_seconds_bucket\{.*le="600"\} \d+$/m);
    expect(text).toMatch(/^synapse_time_to_first_token_seconds_count\{.*\} 2$/m);
    expect(text).toMatch(/^# TYPE synapse_requests_in_flight gauge$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);
    expect(text).not.toMatch(/\bkey="|\buser="/);
  });

  it("tails calls as they finish over graphql-ws, a member's own only, and refuses an unauthenticated socket", async () => {
    const ownerWs = wsClient(gateway, owner);
    const memberWs = wsClient(gateway, member);
    const query = 'subscription { requestLogTail { id userId requestedModel status latencyMs } }';
    const ownerTail = collect<{ id: string; userId: string }>(ownerWs, query);
    const memberTail = collect<{ id: string; userId: string }>(memberWs, query);
    try {
      await Promise.all([ownerTail.ready, memberTail.ready]);
      // Subscriptions reach the server some time after the connection: call until both tails have started.
      const deadline = Date.now() + 15_000;
      while ((ownerTail.items.length === 0 || memberTail.items.length === 0) && Date.now() < deadline) {
        await ask(memberClient, 'other-model');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const ownerCall = await ask(ownerClient).withResponse();
      const memberCall = await ask(memberClient, 'other-model').withResponse();
      const ownerId = ownerCall.response.headers.get('x-request-id');
      const memberId = memberCall.response.headers.get('x-request-id');
      await eventually(async () => {
        expect(ownerTail.items.map((e) => e.id)).toEqual(expect.arrayContaining([ownerId, memberId]));
        expect(memberTail.items.map((e) => e.id)).toContain(memberId);
      });
      // The member's tail has their calls only: the owner's key has no user.
      expect(memberTail.items.map((e) => e.id)).not.toContain(ownerId);
      expect(new Set(memberTail.items.map((e) => e.userId)).size).toBe(1);
      expect(memberTail.items[0].userId).toBeTruthy();
    } finally {
      ownerTail.stop();
      memberTail.stop();
      await ownerWs.dispose();
      await memberWs.dispose();
    }

    const anonymous = wsClient(gateway);
    const refused = collect(anonymous, query);
    const closed = (await refused.failed) as { code?: number; reason?: string };
    expect(closed.code).toBe(4401);
    expect(closed.reason).toContain('Bearer');
    await anonymous.dispose();
  });

  it("closes a socket whose client sends a server's message with 4400, the protocol's answer, not 4500", async () => {
    const socket = new WebSocket(`${gateway.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const closed = new Promise<[number, string]>((resolve) =>
      socket.once('close', (code, why) => resolve([code, String(why)])),
    );
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${owner}` } }));
    socket.send(JSON.stringify({ type: 'next', id: '1', payload: {} }));
    expect(await closed).toEqual([4400, 'Unexpected message of type next received']);
    expect(gateway.output()).not.toContain('subscription message failed');
  });

  // Last: it stops the gateway. Upgraded sockets would keep the HTTP server from closing.
  it('closes open subscriptions (1001) when it shuts down, and exits', async () => {
    const client = wsClient(gateway, owner);
    const tail = collect(client, 'subscription { requestLogTail { id } }');
    await tail.ready;
    const exit = gateway.stop();
    expect(((await tail.failed) as { code?: number }).code).toBe(1001);
    expect(await exit).toBe(0);
    await client.dispose();
  });
});

/** Two gateways on one Redis: calls through either appear in liveMetrics asked from either. */
describeWithRedis('live monitoring across two replicas (Redis)', () => {
  const model = `live-${process.pid}-${Date.now()}`;
  let upstream: MockUpstream;
  const replicas: GatewayProcess[] = [];

  beforeAll(async () => {
    upstream = await startMockUpstream();
    for (const allow of ['', '10.0.0.0/8']) {
      replicas.push(
        await startGateway({
          dataDir: tempDir(),
          env: {
            REDIS_URL,
            ADMIN_EMAIL: OWNER.email,
            ADMIN_PASSWORD: OWNER.password,
            HEALTH_CHECK_INTERVAL_MS: '0',
            LIVE_METRICS_SHARE_INTERVAL_MS: '200',
            ...(allow && { METRICS_ALLOW: allow }),
          },
          config: `
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [${model}] }
keys:
  - { name: shared, key: ${OWNER_KEY} }
`,
        }),
      );
    }
  });

  afterAll(async () => {
    for (const replica of replicas) {
      await replica.stop();
      removeDir(replica.dataDir);
    }
    await upstream?.close();
  });

  it('merges the windows of both replicas, whichever is asked', async () => {
    const [a, b] = replicas;
    const ask = (replica: GatewayProcess) =>
      new OpenAI({ apiKey: OWNER_KEY, baseURL: replica.baseURL, maxRetries: 0 }).chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'hi' }],
      });
    for (let i = 0; i < 3; i++) await ask(a);
    for (let i = 0; i < 3; i++) await ask(b);
    for (const replica of replicas) {
      // Each replica has its own SQLite store, so its own owner account and token.
      const token = await accessToken(replica.url, OWNER.email, OWNER.password);
      await eventually(async () => {
        const rows = rowsOf(await graphql(replica.url, LIVE, token, { window: 'FIVE_MINUTES', groupBy: 'MODEL' }));
        expect(rows.find((r) => r.value === model)).toMatchObject({ requests: 6, errors: 0 });
      });
    }
  });

  it('tails on one replica the calls another serves', async () => {
    const [a, b] = replicas;
    const token = await accessToken(a.url, OWNER.email, OWNER.password);
    const client = wsClient(a, token);
    const tail = collect<{ id: string; requestedModel: string }>(
      client,
      `subscription { requestLogTail(filter: { model: "${model}" }) { id requestedModel } }`,
    );
    const sentThroughB: string[] = [];
    try {
      await tail.ready;
      const openai = new OpenAI({ apiKey: OWNER_KEY, baseURL: b.baseURL, maxRetries: 0 });
      // Replicas learn of each other's listeners once a second: call until the first entry comes over.
      const deadline = Date.now() + 15_000;
      while (tail.items.length === 0 && Date.now() < deadline) {
        const call = await openai.chat.completions
          .create({ model, messages: [{ role: 'user', content: 'hi' }] })
          .withResponse();
        sentThroughB.push(call.response.headers.get('x-request-id') as string);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      expect(tail.items.length).toBeGreaterThan(0);
      for (const entry of tail.items) {
        expect(sentThroughB).toContain(entry.id);
        expect(entry.requestedModel).toBe(model);
      }
    } finally {
      tail.stop();
      await client.dispose();
    }
  });

  it('keeps /metrics closed unless configured: 404 without METRICS_TOKEN or METRICS_ALLOW, 403 outside the allow-list', async () => {
    const [open, allowListed] = replicas;
    expect((await fetch(`${open.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${allowListed.url}/metrics`)).status).toBe(403);
  });
});
