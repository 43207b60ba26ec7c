import {
  describeWithPostgres,
  POSTGRES_URL,
  redisAvailable,
  REDIS_URL,
  runPostgres,
  startMockUpstream,
  type MockUpstream,
} from '@synapse/testing';
import OpenAI from 'openai';
import { accessToken, graphql } from './support/admin-session';
import { eventually } from './support/eventually';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { readRequestLog } from './support/request-log';

const KEY = 'sk-multinode-0123456789abcdef01';
const CAPPED_KEY = 'sk-multinode-capped-0123456789ab';
const USER_KEYS = ['sk-multinode-user-a-0123456789ab', 'sk-multinode-user-b-0123456789ab'];

describeWithPostgres('two replicas on PostgreSQL and Redis', () => {
  const database = `synapse_e2e_${process.pid}`;
  const databaseUrl = POSTGRES_URL.replace(/\/[^/]*$/, `/${database}`);
  let upstream: MockUpstream;
  let flaky: MockUpstream;
  let busy: MockUpstream;
  let idle: MockUpstream;
  const replicas: GatewayProcess[] = [];

  beforeAll(async () => {
    if (!redisAvailable) throw new Error('this suite needs Redis as well');
    await runPostgres(`DROP DATABASE IF EXISTS ${database}`);
    await runPostgres(`CREATE DATABASE ${database}`);
    upstream = await startMockUpstream();
    flaky = await startMockUpstream({ defaults: { status: 500 } });
    busy = await startMockUpstream();
    idle = await startMockUpstream();
    const config = `
channels:
  - { name: mock, baseUrl: "${upstream.url}", apiKey: sk-upstream-pg-0000, models: [gpt-4o-mini] }
  - { name: flaky, baseUrl: "${flaky.url}", models: [flaky-model] }
  - { name: busy, baseUrl: "${busy.url}", models: [m] }
  - { name: idle, baseUrl: "${idle.url}", models: [m] }
routes:
  - { name: flaky-model, retry: { attempts: 1 }, targets: [{ channel: flaky }] }
  - { name: busy-only, targets: [{ channel: busy, model: m }] }
  - name: least-busy
    strategy: least-busy
    targets: [{ channel: busy, model: m }, { channel: idle, model: m }]
keys:
  - { name: shared, key: ${KEY} }
  - { name: capped, key: ${CAPPED_KEY}, limits: { rpm: 3 } }
  - { name: user-a, key: ${USER_KEYS[0]}, user: capped@example.com }
  - { name: user-b, key: ${USER_KEYS[1]}, user: capped@example.com }
users:
  - { email: capped@example.com, limits: { rpm: 4 } }
`;
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      ROUTING_FAILURE_THRESHOLD: '2',
      ROUTING_COOLDOWN_MS: '60000',
      ROUTING_SYNC_INTERVAL_MS: '100',
      HEALTH_CHECK_INTERVAL_MS: '0',
    };
    // Replicas start one after the other, as a rolling deploy would; both apply the same file.
    replicas.push(await startGateway({ config, env }));
    replicas.push(await startGateway({ config, env }));
  });

  afterAll(async () => {
    for (const replica of replicas) {
      await replica.stop();
      removeDir(replica.dataDir);
    }
    await Promise.all([upstream, flaky, busy, idle].map((u) => u?.close()));
    await runPostgres(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('reports the database and Redis in readiness', async () => {
    const ready = await (await fetch(`${replicas[0].url}/health/ready`)).json();
    expect(ready).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up' } });
  });

  it('cools a target down on every replica when it fails through one', async () => {
    const [a, b] = replicas.map((r) => new OpenAI({ apiKey: KEY, baseURL: r.baseURL, maxRetries: 0 }));
    const ask = (client: OpenAI) =>
      client.chat.completions.create({ model: 'flaky-model', messages: [{ role: 'user', content: 'hi' }] });
    for (let i = 0; i < 2; i++) await expect(ask(a)).rejects.toMatchObject({ status: 502 });
    const calls = flaky.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(ask(b)).rejects.toMatchObject({ status: 503, code: 'route_unavailable' });
    expect(flaky.requests.length).toBe(calls);
  });

  it('counts the other replica’s in-flight requests when choosing the least busy target', async () => {
    const [a, b] = replicas.map((r) => new OpenAI({ apiKey: KEY, baseURL: r.baseURL, maxRetries: 0 }));
    const held = await Promise.all(
      [1, 2, 3].map(() =>
        a.chat.completions.create({
          model: 'busy-only',
          messages: [{ role: 'user', content: 'hold' }],
          stream: true,
          mock: { gate: 'held', chunks: 2 },
        } as OpenAI.ChatCompletionCreateParamsStreaming),
      ),
    );
    const iterators = held.map((stream) => stream[Symbol.asyncIterator]());
    await Promise.all(iterators.map((it) => it.next()));
    await new Promise((resolve) => setTimeout(resolve, 500));
    try {
      const idleBefore = idle.requests.length;
      const busyBefore = busy.requests.length;
      // Replica B has nothing in flight itself: without A's counts it would pick at random.
      for (let i = 0; i < 6; i++) {
        await b.chat.completions.create({ model: 'least-busy', messages: [{ role: 'user', content: 'hi' }] });
      }
      expect(idle.requests.length - idleBefore).toBe(6);
      expect(busy.requests.length).toBe(busyBefore);
    } finally {
      busy.release('held');
      for (const it of iterators) while (!(await it.next()).done);
    }
  });

  it('revokes a key on every replica within a second of the revocation on one', async () => {
    const [a, b] = replicas;
    const token = await accessToken(a.url, 'admin@synapsehub.local', 'e2e-admin-password');
    const created = await graphql(
      a.url,
      'mutation($input: CreateGatewayKeyInput!) { createGatewayKey(input: $input) { secret key { id } } }',
      token,
      { input: { name: 'short-lived' } },
    );
    expect(created.errors).toBeUndefined();
    const { secret, key } = created.data?.['createGatewayKey'] as { secret: string; key: { id: string } };
    const onB = new OpenAI({ apiKey: secret, baseURL: b.baseURL, maxRetries: 0 });
    const ask = () =>
      onB.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    // Created through A, served by B: B heard the change through Redis.
    await eventually(async () => expect((await ask()).choices[0].message.content).toBeTruthy());

    const revoked = await graphql(a.url, 'mutation($id: ID!) { revokeGatewayKey(id: $id) { revokedAt } }', token, {
      id: key.id,
    });
    expect(revoked.errors).toBeUndefined();
    const started = Date.now();
    await eventually(() => expect(ask()).rejects.toMatchObject({ status: 401, code: 'revoked_api_key' }));
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('holds one requests-per-minute limit across both replicas', async () => {
    const [a, b] = replicas.map((r) => new OpenAI({ apiKey: CAPPED_KEY, baseURL: r.baseURL, maxRetries: 0 }));
    const ask = (client: OpenAI) =>
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const outcomes = await Promise.allSettled([a, b, a, b, a, b].map(ask));
    // Both replicas count in one Redis: three calls pass in all, not three on each.
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({ status: 429 });
  });

  it("holds one user's requests per minute across both replicas and both of the user's keys", async () => {
    const clients = replicas.flatMap((r) =>
      USER_KEYS.map((key) => new OpenAI({ apiKey: key, baseURL: r.baseURL, maxRetries: 0 })),
    );
    const outcomes = await Promise.allSettled(
      [...clients, ...clients].map((client) =>
        client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      ),
    );
    // Eight calls through two replicas and two keys: exactly the user's four pass, not one more.
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(4);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({ status: 429 });
  });

  it('serves the same keys from both replicas and logs every call in the shared store', async () => {
    const ids: string[] = [];
    for (const replica of replicas) {
      const client = new OpenAI({ apiKey: KEY, baseURL: replica.baseURL, maxRetries: 0 });
      for (let i = 0; i < 5; i++) {
        const { data, request_id } = await client.chat.completions
          .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
          .withResponse();
        expect(data.choices[0].message.content).toBe('Hello from the mock upstream.');
        ids.push(request_id as string);
      }
    }
    expect(replicas[1].output()).toContain('no changes');
    await Promise.all(replicas.map((r) => r.stop()));
    const logged = new Set((await readRequestLog('', databaseUrl)).map((e) => e.id));
    expect(ids.filter((id) => !logged.has(id))).toEqual([]);
  });
});
