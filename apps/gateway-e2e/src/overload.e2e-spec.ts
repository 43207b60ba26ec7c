import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import OpenAI from 'openai';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { apiError, type WithMock } from './support/openai-calls';

const KEY = 'sk-overload-0123456789abcdef0123';

/**
 * Above capacity the gateway sheds at once with 503 and Retry-After (docs/deployment.md#overload):
 * per channel (UPSTREAM_MAX_IN_FLIGHT_PER_CHANNEL: a full channel is passed over for the route's
 * other targets) and per replica (MAX_IN_FLIGHT_CALLS).
 */
describe('overload', () => {
  let held: MockUpstream;
  let spare: MockUpstream;
  let gateway: GatewayProcess;
  let client: OpenAI;

  beforeAll(async () => {
    held = await startMockUpstream();
    spare = await startMockUpstream();
    gateway = await startGateway({
      config: `
channels:
  - { name: held, baseUrl: "${held.url}", models: [m] }
  - { name: spare, baseUrl: "${spare.url}", models: [m] }
routes:
  - { name: only-held, targets: [{ channel: held, model: m }] }
  - { name: held-first, strategy: priority, targets: [{ channel: held, model: m, priority: 1 }, { channel: spare, model: m, priority: 2 }] }
  - { name: only-spare, targets: [{ channel: spare, model: m }] }
keys:
  - { name: k, key: ${KEY} }
`,
      env: { HEALTH_CHECK_INTERVAL_MS: '0', UPSTREAM_MAX_IN_FLIGHT_PER_CHANNEL: '2', MAX_IN_FLIGHT_CALLS: '3' },
    });
    client = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([held, spare].map((u) => u?.close()));
    if (gateway) removeDir(gateway.dataDir);
  });

  /** A stream held by the mock after its first chunk, until `release`. */
  const hold = async (model: string, gate: string) => {
    const stream = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'hold' }],
      stream: true,
      mock: { gate, chunks: 2 },
    } as WithMock<OpenAI.ChatCompletionCreateParamsStreaming>);
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    return async () => {
      for (let n = await iterator.next(); !n.done; n = await iterator.next());
    };
  };
  const ask = (model: string) => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

  it('passes over a channel at its cap for the next target, and sheds when none is left', async () => {
    const finish = [await hold('only-held', 'h'), await hold('only-held', 'h')];
    const heldCalls = held.requests.length;

    const spareCalls = spare.requests.length;
    expect((await ask('held-first')).choices[0].message.content).toBeTruthy();
    expect(spare.requests.length).toBe(spareCalls + 1);

    const error = await apiError(ask('only-held'));
    expect(error.status).toBe(503);
    expect(error.code).toBe('route_unavailable');
    expect(error.headers?.get('retry-after')).toBe('1');
    expect(held.requests.length).toBe(heldCalls);

    held.release('h');
    await Promise.all(finish.map((f) => f()));
    expect((await ask('only-held')).choices[0].message.content).toBeTruthy();
  });

  it('sheds calls past MAX_IN_FLIGHT_CALLS with 503 overloaded, and admits again once calls end', async () => {
    const finish = [await hold('only-held', 'g'), await hold('only-held', 'g'), await hold('only-spare', 's')];
    const error = await apiError(ask('only-spare'));
    expect(error.status).toBe(503);
    expect(error.code).toBe('overloaded');
    expect(error.headers?.get('retry-after')).toBe('1');

    held.release('g');
    spare.release('s');
    await Promise.all(finish.map((f) => f()));
    expect((await ask('only-spare')).choices[0].message.content).toBeTruthy();
  });
});
