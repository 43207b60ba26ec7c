import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import OpenAI from 'openai';
import { connect } from 'node:net';
import { Agent, request } from 'undici';
import { oneChannelConfig, removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { readRequestLog } from './support/request-log';

const KEY = 'sk-shutdown-0123456789abcdef0123';

/** A gateway whose log is written only by full batches of `batchSize` (the timer waits ten minutes) or at shutdown. */
function startLoadGateway(
  upstream: MockUpstream,
  batchSize: string,
  env: Record<string, string> = {},
): Promise<GatewayProcess> {
  return startGateway({
    config: oneChannelConfig(upstream.url, KEY),
    env: { LOG_FLUSH_INTERVAL_MS: '600000', LOG_BATCH_SIZE: batchSize, ...env },
  });
}

describe('graceful shutdown', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    upstream = await startMockUpstream({ record: false });
    // Nothing is flushed by the timer during the test: only the shutdown flush can save the log.
    gateway = await startLoadGateway(upstream, '100000');
  });

  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  it('finishes in-flight streams, then writes every request to the log before it exits', async () => {
    const client = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
    const ids: string[] = [];
    const TOTAL = 400;
    let next = 0;
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        if (i % 4 === 0) {
          const { data, request_id } = await client.chat.completions
            .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `n${i}` }], stream: true })
            .withResponse();
          for await (const _ of data) void _;
          ids.push(request_id as string);
        } else {
          const { request_id } = await client.chat.completions
            .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `n${i}` }] })
            .withResponse();
          ids.push(request_id as string);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(ids).toHaveLength(TOTAL);

    // A stream still running when SIGTERM arrives must be completed, not cut.
    const { data: stream, request_id: streamId } = await client.chat.completions
      .create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'long' }],
        stream: true,
        mock: { gate: 'at-sigterm', chunks: 5 },
      } as OpenAI.ChatCompletionCreateParamsStreaming)
      .withResponse();
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.choices[0].delta.content).toBe('Hello');

    const exitCode = gateway.stop('SIGTERM');
    // readiness turns red while draining; new connections are refused once the listener closes
    await new Promise((r) => setTimeout(r, 200));
    upstream.release('at-sigterm');
    let text = 'Hello';
    for (let n = await iterator.next(); !n.done; n = await iterator.next())
      text += n.value.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Hello from the mock upstream');
    expect(await exitCode).toBe(0);
    ids.push(streamId as string);

    const logged = new Set((await readRequestLog(gateway.dataDir)).map((e) => e.id));
    const missing = ids.filter((id) => !logged.has(id));
    expect(missing).toEqual([]);
    expect(logged.size).toBe(TOTAL + 1);
    expect(gateway.output()).toContain('SIGTERM received');
  });
});

/**
 * SIGKILL gives no chance to flush: what is lost is bounded by the batching (docs/deployment.md#faults):
 * the entries queued since the last write, under two batches (one being written, one filling).
 */
describe('killed with SIGKILL', () => {
  const BATCH = 20;
  let upstream: MockUpstream;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    upstream = await startMockUpstream({ record: false });
    // The timer never flushes in the test: only full batches are written.
    gateway = await startLoadGateway(upstream, String(BATCH));
  });

  afterAll(async () => {
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  it('loses fewer than two batches of request log entries', async () => {
    const client = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
    const SENT = 150;
    let next = 0;
    const worker = async () => {
      while (next++ < SENT)
        await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await gateway.stop('SIGKILL');
    const logged = (await readRequestLog(gateway.dataDir)).length;
    expect(logged).toBeLessThanOrEqual(SENT);
    expect(SENT - logged).toBeLessThan(2 * BATCH);
  });
});

/**
 * Pooled clients keep connections for as long as the server's `Keep-Alive` header allows (65 s
 * here). A call that finishes while the gateway drains must close its connection, and a connection
 * on which nothing was sent must be cut, or the drain waits up to SHUTDOWN_TIMEOUT_MS.
 */
describe('draining with keep-alive callers', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;
  let agent: Agent;

  beforeAll(async () => {
    upstream = await startMockUpstream({ record: false });
    gateway = await startLoadGateway(upstream, '100');
    agent = new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
  });

  afterAll(async () => {
    await agent?.close();
    await gateway?.stop('SIGKILL');
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  it('closes the connections of calls that finish while draining and cuts silent ones, then exits at once', async () => {
    const call = (path: string, body?: object) =>
      request(`${gateway.url}${path}`, {
        dispatcher: agent,
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: body && JSON.stringify(body),
      });
    const messages = [{ role: 'user', content: 'x' }];
    // Warm connections, then calls in flight at SIGTERM: two that have not answered yet (JSON and a
    // stream) and a stream already under way, whose header promised keep-alive before the signal.
    await Promise.all([1, 2, 3, 4].map(() => call('/v1/chat/completions', { model: 'gpt-4o-mini', messages })));
    const inFlight = [
      call('/v1/chat/completions', { model: 'gpt-4o-mini', messages, mock: { delayMs: 1_500 } }),
      call('/v1/chat/completions', { model: 'gpt-4o-mini', messages, stream: true, mock: { delayMs: 1_500 } }),
      call('/v1/chat/completions', { model: 'gpt-4o-mini', messages, stream: true, mock: { chunkDelayMs: 500 } }),
    ];
    // A client's spare connection, on which nothing is ever sent (Node's header timeout stops with the listener).
    const silent = connect(Number(new URL(gateway.url).port), '127.0.0.1');
    const silentClosed = new Promise((r) => silent.once('close', r));
    silent.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const signalled = Date.now();
    const exitCode = gateway.stop('SIGTERM');
    const answers = await Promise.all(
      inFlight.map(async (p) => {
        const answer = await p;
        return { status: answer.statusCode, connection: answer.headers.connection, body: await answer.body.text() };
      }),
    );
    const finished = Date.now();
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.connection)).toEqual(['close', 'close', 'keep-alive']);
    expect(answers[2].body).toContain('[DONE]');
    expect(await exitCode).toBe(0);
    await silentClosed;
    // The default drain bound is 30 s: exiting within seconds of the last answer shows nothing waited for it.
    expect(Date.now() - finished).toBeLessThan(3_000);
    expect(finished - signalled).toBeLessThan(5_000);
  });
});

/** Calls still running when SHUTDOWN_TIMEOUT_MS runs out are cut, and still logged. */
describe('a drain that runs out of time', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    upstream = await startMockUpstream({ record: false });
    gateway = await startLoadGateway(upstream, '100000', { SHUTDOWN_TIMEOUT_MS: '500' });
  });

  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    upstream?.release('never');
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  it('cuts the streams and calls left at the bound, and writes each of them to the log', async () => {
    const client = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: 'x' }];
    const held = { model: 'gpt-4o-mini', messages, stream: true, mock: { gate: 'never' } };
    const { data: stream, request_id: streamId } = await client.chat.completions
      .create(held as OpenAI.ChatCompletionCreateParamsStreaming)
      .withResponse();
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.choices[0].delta.content).toBe('Hello');
    // A call whose upstream has not answered yet either.
    const waiting = client.chat.completions
      .create({ model: 'gpt-4o-mini', messages, mock: { delayMs: 3_000 } } as OpenAI.ChatCompletionCreateParams)
      .withResponse()
      .then(
        () => 'answered',
        (error: Error) => error.constructor.name,
      );
    await new Promise((r) => setTimeout(r, 200));

    expect(await gateway.stop('SIGTERM')).toBe(0);
    await expect(iterator.next()).rejects.toThrow();
    expect(await waiting).toBe('APIConnectionError');

    const logged = await readRequestLog(gateway.dataDir);
    expect(logged.map((e) => e.id)).toContain(streamId);
    expect(logged).toHaveLength(2);
    // Cut with their connections: failures of the gateway's (503, counted as errors), not callers that left (499).
    const cut = [503, 'gateway_shutdown', "cut by the gateway's shutdown (SHUTDOWN_TIMEOUT_MS)"];
    expect(logged.map((e) => [e.stream, e.status, e.errorClass, e.errorMessage]).sort()).toEqual([
      [false, ...cut],
      [true, ...cut],
    ]);
  });
});
