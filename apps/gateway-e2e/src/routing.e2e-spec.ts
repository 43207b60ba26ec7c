import { startMockUpstream, type MockDirectives, type MockUpstream } from '@synapse/testing';
import OpenAI, { APIError } from 'openai';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { apiError, failWithSdkRetries, type WithMock } from './support/openai-calls';
import { waitForLogEntry } from './support/request-log';
import { sqliteRows } from './support/sqlite-rows';

const KEY = 'sk-routing-0123456789abcdef0123';

/** Real upstream servers that fail in the ways upstreams do, behind routes with several targets. */
describe('routing and resilience (openai SDK against the built gateway)', () => {
  let good: MockUpstream;
  let other: MockUpstream;
  let bad: MockUpstream;
  let gateway: GatewayProcess;
  let client: OpenAI;

  beforeAll(async () => {
    good = await startMockUpstream();
    other = await startMockUpstream();
    bad = await startMockUpstream();
    const config = `
channels:
  - { name: good, baseUrl: "${good.url}", models: [m-good] }
  - { name: other, baseUrl: "${other.url}", models: [m-other] }
  - { name: bad, baseUrl: "${bad.url}", models: [m-bad], timeouts: { firstByteMs: 400 } }
  - { name: dead, baseUrl: "http://127.0.0.1:9/v1", models: [m-dead] }
routes:
  # The failing target has the higher priority, so it is always tried first.
  - name: failover
    strategy: priority
    targets:
      - { channel: bad, model: m-bad, priority: 1 }
      - { channel: good, model: m-good }
  - name: dead-first
    strategy: priority
    targets:
      - { channel: dead, model: m-dead, priority: 1 }
      - { channel: good, model: m-good }
  - name: only-bad
    retry: { attempts: 2 }
    targets: [{ channel: bad, model: m-bad }]
    fallbacks: [backup]
  - name: backup
    aliases: [spare]
    targets: [{ channel: other, model: m-other }]
  - name: rpm-capped
    strategy: priority
    targets:
      - { channel: other, model: m-rpm, priority: 1, rpm: 2 }
      - { channel: good, model: m-good }
  - name: tpm-capped
    strategy: priority
    targets:
      - { channel: other, model: m-tpm, priority: 1, tpm: 30 }
      - { channel: good, model: m-good }
  - name: "pattern-*"
    targets: [{ channel: good, model: "*" }]
  - name: daily-quota
    targets: [{ channel: other, model: m-quota }]
  - name: 通义千问
    targets: [{ channel: good, model: qwen-中文 }]
keys:
  - { name: k, key: ${KEY} }
`;
    gateway = await startGateway({
      config,
      // Failures here must not open circuits: each test checks one decision. Cooldowns have their own test.
      env: { ROUTING_FAILURE_THRESHOLD: '1000', HEALTH_CHECK_INTERVAL_MS: '0' },
    });
    client = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([good, other, bad].map((u) => u?.close()));
    if (gateway) removeDir(gateway.dataDir);
  });

  beforeEach(() => {
    for (const upstream of [good, other, bad]) upstream.setDefaults({});
  });

  const posts = (upstream: MockUpstream) =>
    upstream.requests.filter((r) => r.path.endsWith('/chat/completions')).length;

  async function chat(model: string, mock?: Record<string, unknown>) {
    return client.chat.completions
      .create({
        model,
        messages: [{ role: 'user', content: 'hi' }],
        ...(mock && { mock }),
      } as WithMock<OpenAI.ChatCompletionCreateParamsNonStreaming>)
      .withResponse();
  }

  /** A failing call to `model` made with the SDK's default retries. */
  const failWithRetries = (model: string) =>
    failWithSdkRetries(gateway.baseURL, KEY, (retrying) =>
      retrying.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }),
    );

  it.each<[string, MockDirectives]>([
    ['a 500', { status: 500 }],
    ['a 503', { status: 503 }],
    ['a reset connection before the answer', { reset: 'before' }],
    ['a reset connection in the middle of the answer', { reset: 'mid' }],
    ['a timeout', { delayMs: 1500 }],
    ['a 429 with Retry-After', { status: 429, retryAfter: '1' }],
    // A deployment removed, a model renamed, a base URL without its /v1: the target's to fix.
    ['a 404 for the model the route names', { status: 404 }],
    [
      'a 400 "Model Not Exist" (DeepSeek\'s words) for the model the route names',
      { status: 400, errorMessage: 'Model Not Exist' },
    ],
    // The channel's account out of credit: another channel's may not be.
    ['a 402 (the channel has no credit left)', { status: 402 }],
    ["OpenAI's 429 insufficient_quota (the channel's credits spent)", { status: 429, errorCode: 'insufficient_quota' }],
  ])('retries on another target after %s', async (_what, fault) => {
    // A call the bad target answers first: the failing one then goes on a kept-alive connection.
    await chat('failover');
    bad.setDefaults(fault);
    const [badBefore, goodBefore] = [posts(bad), posts(good)];
    const { data, response, request_id } = await chat('failover');
    expect(data.choices[0].message.content).toBe('Hello from the mock upstream.');
    // A kept-alive connection closed before any answer is taken for one the server closed as
    // idle just then (docs/configuration.md): the call goes once more to the same target.
    expect(posts(bad)).toBe(badBefore + (fault.reset === 'before' ? 2 : 1));
    expect(posts(good)).toBe(goodBefore + 1);
    expect(good.requests.at(-1)?.body['model']).toBe('m-good');
    expect(response.headers.get('x-synapse-attempts')).toBe('2');
    expect(response.headers.get('x-synapse-model')).toBe('m-good');
    expect(response.headers.get('x-synapse-route')).toBe('failover');
    const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
    expect(entry).toMatchObject({ status: 200, attempts: 2, routeName: 'failover', upstreamModel: 'm-good' });
  });

  it('retries after a connection refused', async () => {
    const { response } = await chat('dead-first');
    expect(response.headers.get('x-synapse-attempts')).toBe('2');
  });

  it('never retries a 4xx that is the caller’s fault', async () => {
    bad.setDefaults({ status: 400 });
    const goodBefore = posts(good);
    const error = await apiError(chat('failover'));
    expect(error.status).toBe(400);
    expect(posts(good)).toBe(goodBefore);
  });

  it.each<[string, MockDirectives, string, string]>([
    [
      'no target knows the model the route names',
      { status: 404 },
      'upstream_not_found',
      "check the route's target model and the channel's base URL: mock failure 404",
    ],
    [
      "every target's credit is spent (402)",
      { status: 402 },
      'upstream_quota_exhausted',
      "The upstream refused the channel's account: its credit or quota is spent (402): mock failure 402",
    ],
    [
      "every target's quota is spent (OpenAI's 429 insufficient_quota)",
      { status: 429, errorCode: 'insufficient_quota' },
      'upstream_quota_exhausted',
      'its credit or quota is spent (429)',
    ],
  ])('answers 502 when %s, and tells the SDK a retry cannot mend it', async (_when, fault, code, message) => {
    bad.setDefaults(fault);
    good.setDefaults(fault);
    // `x-should-retry: false` tells the SDK that a retry cannot mend this.
    const { error, sent } = await failWithRetries('failover');
    expect([error.status, error.code]).toEqual([502, code]);
    expect(error.message).toContain(message);
    expect([error.headers?.get('x-should-retry'), sent]).toEqual(['false', 1]);
  });

  it("passes an upstream's 429 with an hour's Retry-After on at once, and tells the SDK not to sleep on it", async () => {
    other.setDefaults({ status: 429, retryAfter: '3600' });
    const { error, sent } = await failWithRetries('daily-quota');
    expect(error.status).toBe(429);
    expect([error.headers?.get('retry-after'), error.headers?.get('x-should-retry'), sent]).toEqual([
      '3600',
      'false',
      1,
    ]);
  });

  it('answers a 404 for a model name the caller chose (a pattern route passes it on) as the caller’s, once', async () => {
    good.setDefaults({ status: 404 });
    const before = posts(good);
    const error = await apiError(chat('pattern-no-such-model'));
    expect(error.status).toBe(404);
    expect(error.message).toContain('mock failure 404');
    expect(posts(good)).toBe(before + 1);
  });

  it('never retries once a stream has started, and ends the stream with an error event, not garbage', async () => {
    bad.setDefaults({ reset: 'mid', chunks: 6 });
    const goodBefore = posts(good);
    const stream = await client.chat.completions.create({
      model: 'failover',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const received: string[] = [];
    let thrown: unknown;
    try {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta?.content ?? '');
    } catch (error) {
      thrown = error;
    }
    expect(received.join('')).toBe('Hello from the');
    expect(thrown).toBeInstanceOf(APIError);
    expect((thrown as APIError).message).toContain('upstream closed the connection');
    expect(posts(good)).toBe(goodBefore);
  });

  it('falls back to the next route when every target of the first failed, and says which model served', async () => {
    bad.setDefaults({ status: 502 });
    const { data, response } = await chat('only-bad');
    expect(data.choices[0].message.content).toBe('Hello from the mock upstream.');
    expect(response.headers.get('x-synapse-route')).toBe('backup');
    expect(response.headers.get('x-synapse-model')).toBe('m-other');
    expect(response.headers.get('x-synapse-attempts')).toBe('3');
  });

  it.each([
    ['rpm-capped', 'requests per minute', 2],
    // each mock answer reports 17 tokens: a 30-token cap lets two calls through, then the target is full
    ['tpm-capped', 'tokens per minute', 2],
  ])('moves on from a target over its cap (%s: %s)', async (route, _what, allowed) => {
    const served: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { response } = await chat(route);
      served.push(response.headers.get('x-synapse-model') ?? '');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const capped = route === 'rpm-capped' ? 'm-rpm' : 'm-tpm';
    expect(served).toEqual([...Array(allowed).fill(capped), ...Array(4 - allowed).fill('m-good')]);
  });

  it('serves aliases and pattern routes', async () => {
    const alias = await chat('spare');
    expect(alias.response.headers.get('x-synapse-route')).toBe('backup');
    const pattern = await chat('pattern-xyz');
    expect(good.requests.at(-1)?.body['model']).toBe('pattern-xyz');
    expect(pattern.response.headers.get('x-synapse-route')).toBe('pattern-*');
  });

  it('serves routes and models named outside ASCII, or with a control character, their headers percent-encoded', async () => {
    // Written raw, such a name made Node throw after the upstream had answered: a 500 for a served call.
    const named = await chat('通义千问');
    expect(good.requests.at(-1)?.body['model']).toBe('qwen-中文');
    expect(decodeURIComponent(named.response.headers.get('x-synapse-route') as string)).toBe('通义千问');
    expect(decodeURIComponent(named.response.headers.get('x-synapse-model') as string)).toBe('qwen-中文');
    const client = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
    const stream = await client.chat.completions
      .create({ model: 'pattern-\u0000\r\nx-injected: 1', stream: true, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(stream.response.headers.get('x-synapse-model')).toBe('pattern-%00%0D%0Ax-injected%3A%201');
    expect(stream.response.headers.get('x-injected')).toBeNull();
    // A lone surrogate, which JSON carries and encodeURIComponent throws on.
    const lone = await chat('pattern-\ud800');
    expect(lone.response.headers.get('x-synapse-model')).toBe('pattern-%EF%BF%BD');
    let text = '';
    for await (const chunk of stream.data) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello from the');
  });

  it('cools a failing target down, answers 503 without calling it, then lets one probe decide', async () => {
    const strict = await startGateway({
      config: `
channels:
  - { name: other, baseUrl: "${other.url}", models: [m-other] }
routes:
  - { name: fragile, retry: { attempts: 1 }, targets: [{ channel: other, model: fragile-model }] }
keys:
  - { name: k, key: ${KEY} }
`,
      env: { ROUTING_FAILURE_THRESHOLD: '3', ROUTING_COOLDOWN_MS: '1500', HEALTH_CHECK_INTERVAL_MS: '0' },
    });
    const strictClient = new OpenAI({ apiKey: KEY, baseURL: strict.baseURL, maxRetries: 0 });
    const chat = (model: string) =>
      strictClient.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    try {
      await coolDownAndProbe(chat);
    } finally {
      await strict.stop();
      removeDir(strict.dataDir);
    }
  });

  it('health checks cool a dead channel down before callers reach it, and record the change', async () => {
    const checked = await startGateway({
      config: `
channels:
  - { name: dead, baseUrl: "http://127.0.0.1:9/v1", models: [m-dead] }
  - { name: good, baseUrl: "${good.url}", models: [m-good] }
keys:
  - { name: k, key: ${KEY} }
`,
      env: { ROUTING_FAILURE_THRESHOLD: '2', ROUTING_COOLDOWN_MS: '60000', HEALTH_CHECK_INTERVAL_MS: '150' },
    });
    try {
      const checkedClient = new OpenAI({ apiKey: KEY, baseURL: checked.baseURL, maxRetries: 0 });
      await new Promise((resolve) => setTimeout(resolve, 800));
      const error = await apiError(
        checkedClient.chat.completions.create({ model: 'm-dead', messages: [{ role: 'user', content: 'hi' }] }),
      );
      expect(error.status).toBe(503);
      expect(error.code).toBe('route_unavailable');
      // the healthy channel's checks reached its upstream and it still serves
      expect(good.requests.some((r) => r.path.endsWith('/models'))).toBe(true);
      await checkedClient.chat.completions.create({ model: 'm-good', messages: [{ role: 'user', content: 'hi' }] });
      await checked.stop();
      const events = sqliteRows<{ target_id: string; from_state: string; to_state: string; cause: string }>(
        checked.dataDir,
        'SELECT target_id, from_state, to_state, cause FROM target_events',
      );
      expect(events).toEqual([
        expect.objectContaining({ from_state: 'healthy', to_state: 'cooling_down', cause: 'failures' }),
      ]);
      expect(events[0].target_id).toMatch(/\/m-dead$/);
    } finally {
      await checked.stop();
      removeDir(checked.dataDir);
    }
  });

  async function coolDownAndProbe(chat: (model: string) => Promise<{ data: OpenAI.ChatCompletion }>) {
    other.setDefaults({ status: 500 });
    for (let i = 0; i < 3; i++) expect((await apiError(chat('fragile'))).status).toBe(502);
    const before = posts(other);
    const unavailable = await apiError(chat('fragile'));
    expect(unavailable.status).toBe(503);
    expect(unavailable.code).toBe('route_unavailable');
    expect(JSON.stringify(unavailable.error)).not.toContain(other.url);
    expect(posts(other)).toBe(before);

    other.setDefaults({});
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const probe = await chat('fragile');
    expect(probe.data.choices[0].message.content).toBe('Hello from the mock upstream.');
    expect(posts(other)).toBe(before + 1);
    // closed again: traffic flows
    await chat('fragile');
    expect(posts(other)).toBe(before + 2);
  }
});
