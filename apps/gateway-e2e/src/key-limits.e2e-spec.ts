import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import OpenAI from 'openai';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { apiError, type WithMock } from './support/openai-calls';

const RPM_KEY = 'sk-rpm-limited-0123456789abcdef';
const CONCURRENCY_KEY = 'sk-one-at-a-time-0123456789abc';

/** Per-key caps declared in the config file, as a caller meets them with the openai SDK. */
describe('per-key limits', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    upstream = await startMockUpstream();
    gateway = await startGateway({
      config: `
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [gpt-4o-mini] }
keys:
  - { name: rpm, key: ${RPM_KEY}, limits: { rpm: 2 } }
  - { name: one-at-a-time, key: ${CONCURRENCY_KEY}, limits: { concurrency: 1 } }
`,
      env: { HEALTH_CHECK_INTERVAL_MS: '0' },
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  const clientOf = (key: string) => new OpenAI({ apiKey: key, baseURL: gateway.baseURL, maxRetries: 0 });
  const ask = (client: OpenAI) =>
    client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });

  it('answers 429 with Retry-After and x-ratelimit headers past the requests per minute', async () => {
    const client = clientOf(RPM_KEY);
    await ask(client);
    await ask(client);
    const calls = upstream.requests.length;
    const error = await apiError(ask(client));
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.type).toBe('requests');
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(error.headers?.get('x-ratelimit-limit-requests')).toBe('2');
    expect(error.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(upstream.requests.length).toBe(calls);
  });

  it('refuses a second call while the first is still streaming, then admits again', async () => {
    const client = clientOf(CONCURRENCY_KEY);
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hold' }],
      stream: true,
      mock: { gate: 'one-at-a-time', chunks: 2 },
    } as WithMock<OpenAI.ChatCompletionCreateParamsStreaming>);
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const error = await apiError(ask(client));
    expect(error.status).toBe(429);
    upstream.release('one-at-a-time');
    while (!(await iterator.next()).done);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await ask(client)).choices[0].message.content).toBeTruthy();
  });
});
