import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';

const KEY = 'sk-raw-forward-0123456789abcdef01';

/**
 * The caller's bytes go upstream as they came when the gateway changes nothing in the body (no
 * serialization per attempt, issue #12), and a body the gateway does change is serialized again.
 */
describe('forwarding the received body', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    upstream = await startMockUpstream();
    gateway = await startGateway({
      config: `
channels:
  - { name: mock, baseUrl: "${upstream.url}", models: [gpt-4o-mini, gpt-4o-2024-08-06] }
routes:
  - { name: alias, targets: [{ channel: mock, model: gpt-4o-2024-08-06 }] }
keys:
  - { name: k, key: ${KEY} }
  - { name: capped, key: sk-raw-capped-0123456789abcdef01, limits: { maxTokensPerCall: 50 } }
`,
      env: { HEALTH_CHECK_INTERVAL_MS: '0' },
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  const post = (text: string, key = KEY) =>
    fetch(`${gateway.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: text,
    });

  it('sends an unchanged body byte for byte, spacing, key order and unknown fields included', async () => {
    const text =
      '{ "messages":[{"role":"user","content":"héllo \\u00e9"}],\n  "model": "gpt-4o-mini", "x_vendor": {"a": [1, 2.50]} }';
    expect((await post(text)).status).toBe(200);
    expect(upstream.requests.at(-1)?.raw).toBe(text);
  });

  it('serializes again when the route names another upstream model', async () => {
    const text = '{ "model": "alias", "messages": [{"role":"user","content":"hi"}] }';
    expect((await post(text)).status).toBe(200);
    const sent = upstream.requests.at(-1);
    expect(sent?.raw).not.toBe(text);
    expect(sent?.body['model']).toBe('gpt-4o-2024-08-06');
  });

  it('serializes again when the gateway adds the key’s output cap', async () => {
    const text = '{ "model": "gpt-4o-mini", "messages": [{"role":"user","content":"hi"}] }';
    expect((await post(text, 'sk-raw-capped-0123456789abcdef01')).status).toBe(200);
    expect(upstream.requests.at(-1)?.body['max_completion_tokens']).toBe(50);
  });

  it('serializes again when a stream needs usage asked for', async () => {
    const text = '{ "model": "gpt-4o-mini", "stream": true, "messages": [{"role":"user","content":"hi"}] }';
    const response = await post(text);
    await response.text();
    expect(upstream.requests.at(-1)?.body['stream_options']).toEqual({ include_usage: true });
  });
});
