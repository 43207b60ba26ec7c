import { createClient } from 'graphql-ws';
import { WebSocket } from 'ws';
import { startAdminApiTestApp, type AdminApiTestApp, type GqlResponse } from '../testing/admin-api-test-app';
import { InFlightCalls } from '@synapse/gateway/proxy';
import { fakeTarget } from '../testing/fake-routing-admin';
import { requestLogEntry } from '../testing/request-log-entry.fixture';
import { LiveMonitoringResolver } from './live-monitoring.resolver';

const ROW = 'value requests errors errorRate latencyP50Ms latencyP99Ms ttftP50Ms outputTokensPerSecond inFlight';

type Row = { value: string; requests: number; errors: number; errorRate: number } & Record<string, unknown>;
const rowsOf = (response: GqlResponse) => (response.data?.['liveMetrics'] as { rows: Row[] }).rows;

/** What a raw WebSocket client gets: the close code and reason, or the messages before it. */
function rawSocket(url: string, protocol = 'graphql-transport-ws') {
  const socket = new WebSocket(url, protocol);
  const messages: unknown[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const opened = new Promise<void>((resolve, reject) => {
    socket.on('open', () => resolve());
    socket.on('error', reject);
  });
  const unexpected = new Promise<number>((resolve) =>
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
  );
  return { socket, messages, closed, opened, unexpected };
}

/** Live metrics and the request log tail over GraphQL, HTTP and WebSocket, as the gateway serves them. */
describe(LiveMonitoringResolver.name, () => {
  let t: AdminApiTestApp;

  beforeAll(async () => {
    t = await startAdminApiTestApp({ graphql: { maxBodyBytes: 4_096 } });
  });

  afterAll(() => t.close());

  it('adds up the recorded calls per group, with error rate, percentiles and tokens per second', async () => {
    for (let i = 0; i < 8; i++) t.writer.record(requestLogEntry({ requestedModel: 'm-live', latencyMs: 200 }));
    t.writer.record(
      requestLogEntry({ requestedModel: 'm-live', status: 502, latencyMs: 4_000, errorClass: 'upstream_error' }),
    );
    t.writer.record(
      requestLogEntry({ requestedModel: 'm-live', status: 499, latencyMs: 90, errorClass: 'client_closed' }),
    );
    t.writer.record(
      requestLogEntry({
        requestedModel: 'm-stream',
        stream: true,
        latencyMs: 2_100,
        ttftMs: 100,
        completionTokens: 400,
      }),
    );
    const token = await t.tokenFor('operator');
    const response = await t.graphql(
      `{ liveMetrics(window: ONE_MINUTE, groupBy: MODEL) { groupBy window rows { ${ROW} } } }`,
      {
        token,
      },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.['liveMetrics']).toMatchObject({ groupBy: 'MODEL', window: 'ONE_MINUTE' });
    const rows = rowsOf(response);
    const live = rows.find((row) => row.value === 'm-live');
    expect(live).toMatchObject({ requests: 10, errors: 1, errorRate: 0.1, ttftP50Ms: null, inFlight: 0 });
    expect(live?.['latencyP50Ms']).toBeGreaterThan(100);
    expect(live?.['latencyP50Ms']).toBeLessThanOrEqual(250);
    expect(live?.['latencyP99Ms']).toBeGreaterThan(3_000);
    const stream = rows.find((row) => row.value === 'm-stream');
    // 400 tokens over the 2 s after the first token.
    expect(stream).toMatchObject({ requests: 1, errors: 0, outputTokensPerSecond: 200 });
    expect(stream?.['ttftP50Ms']).toBeGreaterThan(50);
    expect(stream?.['ttftP50Ms']).toBeLessThanOrEqual(100);
    // Busiest first.
    expect(rows.indexOf(live as Row)).toBeLessThan(rows.indexOf(stream as Row));
  });

  it('shows a member only their own usage, and refuses them groupings over everybody', async () => {
    t.writer.record(requestLogEntry({ userId: 'id-member', requestedModel: 'm-own' }));
    t.writer.record(requestLogEntry({ userId: 'id-operator', requestedModel: 'm-own' }));
    const member = await t.tokenFor('member');
    const byUser = await t.graphql(`{ liveMetrics(groupBy: USER) { rows { value requests } } }`, { token: member });
    expect(byUser.errors).toBeUndefined();
    expect(rowsOf(byUser).map((row) => row.value)).toEqual(['id-member']);
    const byModel = await t.graphql(`{ liveMetrics(groupBy: MODEL) { rows { value } } }`, { token: member });
    expect(byModel.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    expect(byModel.errors?.[0].message).toMatch(/group live metrics by USER or TEAM, not by MODEL/);
    const admin = await t.graphql(`{ liveMetrics(groupBy: USER) { rows { value } } }`, {
      token: await t.tokenFor('admin'),
    });
    expect(
      rowsOf(admin)
        .map((row) => row.value)
        .sort(),
    ).toEqual(expect.arrayContaining(['id-member', 'id-operator']));
  });

  it('shows calls in flight: per channel and route from the routing targets, per key and model from the proxy', async () => {
    const token = await t.tokenFor('operator');
    const saved = t.routing.targetList;
    t.routing.targetList = [
      fakeTarget({ id: 'ch-busy/a', channelId: 'ch-busy', routes: ['r-one', 'r-two'], inFlight: 3 }),
      fakeTarget({ id: 'ch-busy/b', channelId: 'ch-busy', routes: ['r-two'], inFlight: 2 }),
    ];
    const calls = t.app.get(InFlightCalls);
    calls.start('key-busy', 'id-member', null, 'm-busy');
    calls.start('key-busy', 'id-member', null, 'm-busy');
    try {
      const query = (groupBy: string) =>
        // FIFTEEN_MINUTES: no other test read it, so no answer is reused (reads within 1 s share one).
        t.graphql(
          `{ liveMetrics(window: FIFTEEN_MINUTES, groupBy: ${groupBy}) { rows { value requests inFlight } } }`,
          {
            token,
          },
        );
      expect(rowsOf(await query('CHANNEL')).find((r) => r.value === 'ch-busy')).toEqual({
        value: 'ch-busy',
        requests: 0,
        inFlight: 5,
      });
      const routes = rowsOf(await query('ROUTE'));
      expect(routes.find((r) => r.value === 'r-one')?.inFlight).toBe(3);
      expect(routes.find((r) => r.value === 'r-two')?.inFlight).toBe(5);
      expect(rowsOf(await query('KEY')).find((r) => r.value === 'key-busy')?.inFlight).toBe(2);
      expect(rowsOf(await query('MODEL')).find((r) => r.value === 'm-busy')?.inFlight).toBe(2);
    } finally {
      calls.end('key-busy', 'id-member', null, 'm-busy');
      calls.end('key-busy', 'id-member', null, 'm-busy');
      t.routing.targetList = saved;
    }
    expect(calls.byKey.has('key-busy')).toBe(false);
  });

  it('refuses a window or grouping that does not exist', async () => {
    const token = await t.tokenFor('admin');
    const badWindow = await t.graphql(`{ liveMetrics(window: ONE_HOUR, groupBy: MODEL) { at } }`, { token });
    expect(badWindow.errors?.map((e) => e.extensions?.['code'])).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const badGroup = await t.graphql(`query($g: LiveMetricsGroupBy!) { liveMetrics(groupBy: $g) { at } }`, {
      token,
      variables: { g: 'COUNTRY' },
    });
    expect(badGroup.errors?.[0].extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('pushes liveMetrics to a subscriber, and tails only the entries a member may read', async () => {
    const first = await t.subscribeFirst(
      'subscription { liveMetrics(window: FIVE_MINUTES, groupBy: MODEL) { rows { value requests } } }',
      { token: await t.tokenFor('auditor') },
    );
    expect(first.errors).toBeUndefined();
    expect(rowsOf(first).find((row) => row.value === 'm-live')?.requests).toBe(10);

    const tail = await t.subscribeFirst(
      'subscription { requestLogTail(filter: { model: "m-tail" }) { id userId status } }',
      {
        token: await t.tokenFor('member'),
        trigger: () => {
          t.writer.record(requestLogEntry({ id: 'other-model', userId: 'id-member', requestedModel: 'm-else' }));
          t.writer.record(requestLogEntry({ id: 'not-theirs', userId: 'id-operator', requestedModel: 'm-tail' }));
          t.writer.record(
            requestLogEntry({ id: 'theirs', userId: 'id-member', requestedModel: 'm-tail', status: 429 }),
          );
        },
      },
    );
    expect(tail.data?.['requestLogTail']).toEqual({ id: 'theirs', userId: 'id-member', status: 429 });

    const byApi = await t.subscribeFirst(
      'subscription { requestLogTail(filter: { endpoint: "audio.transcriptions" }) { id endpoint } }',
      {
        token: await t.tokenFor('operator'),
        trigger: () => {
          t.writer.record(requestLogEntry({ id: 'chat-call' }));
          t.writer.record(requestLogEntry({ id: 'transcription', endpoint: 'audio.transcriptions' }));
        },
      },
    );
    expect(byApi.data?.['requestLogTail']).toEqual({ id: 'transcription', endpoint: 'audio.transcriptions' });
    const unknownApi = await t.subscribeFirst(
      'subscription { requestLogTail(filter: { endpoint: "audio.transcription" }) { id } }',
      { token: await t.tokenFor('operator') },
    );
    expect(unknownApi.errors?.[0].extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(unknownApi.errors?.[0].message).toContain('audio.transcriptions');

    const forbidden = await t.subscribeFirst('subscription { liveMetrics(groupBy: CHANNEL) { at } }', {
      token: await t.tokenFor('member'),
    });
    expect(forbidden.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
  });

  it('closes a WebSocket that does not authenticate, and serves nothing but subscriptions over it', async () => {
    const url = await t.wsUrl();
    const anonymous = rawSocket(url);
    await anonymous.opened;
    anonymous.socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    expect(await anonymous.closed).toEqual({ code: 4401, reason: expect.stringMatching(/authorization: 'Bearer/) });

    const forged = rawSocket(url);
    await forged.opened;
    forged.socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer not.a.token' } }));
    expect((await forged.closed).code).toBe(4401);

    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${await t.tokenFor('owner')}` },
      retryAttempts: 0,
    });
    const errors = await new Promise<unknown>((resolve) =>
      client.subscribe(
        { query: '{ me { id } }' },
        { next: () => undefined, error: resolve, complete: () => undefined },
      ),
    );
    expect(errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })]);
    await client.dispose();
  });

  it('closes a connection whose message is over the body limit, before reading it as JSON', async () => {
    const big = rawSocket(await t.wsUrl());
    await big.opened;
    big.socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(10_000) } }));
    expect((await big.closed).code).toBe(1009);
  });

  it('refuses WebSocket upgrades beyond the connection limit, and elsewhere than /graphql', async () => {
    const limited = await startAdminApiTestApp({ subscriptions: { maxConnections: 1 } });
    try {
      const url = await limited.wsUrl();
      const first = rawSocket(url);
      await first.opened;
      const second = rawSocket(url);
      expect(await second.unexpected).toBe(503);
      first.socket.close();
      await first.closed;
      const elsewhere = rawSocket(url.replace('/graphql', '/other'));
      expect(await elsewhere.unexpected).toBe(404);
    } finally {
      await limited.close();
    }
  });

  it('counts WebSocket upgrades against the admin rate limit of the address', async () => {
    const limited = await startAdminApiTestApp({ graphql: { requestsPerMinute: 2 } });
    try {
      const url = await limited.wsUrl();
      for (let i = 0; i < 2; i++) {
        const allowed = rawSocket(url);
        await allowed.opened;
        allowed.socket.close();
        await allowed.closed;
      }
      const refused = rawSocket(url);
      expect(await refused.unexpected).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('says so when live metrics are turned off', async () => {
    const off = await startAdminApiTestApp({ monitoring: { enabled: false } });
    try {
      const response = await off.graphql('{ liveMetrics(groupBy: MODEL) { at } }', {
        token: await off.tokenFor('admin'),
      });
      expect(response.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/METRICS_ENABLED=false/),
        extensions: { code: 'CONFLICT' },
      });
    } finally {
      await off.close();
    }
  });
});
