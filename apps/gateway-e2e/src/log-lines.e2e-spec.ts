import { startMockHttpServer, type MockHttpServer } from '@synapse/testing';
import OpenAI from 'openai';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';

const KEY = 'sk-lines-0123456789abcdef0123456';
const FORGED = '[Nest] 1  - 12/07/2026, 4:30:00 AM   ERROR [Auth] forged by the upstream';

/** The gateway's text log holds one line per event, whatever text an upstream puts in its errors. */
describe('log lines (built gateway, openai SDK)', () => {
  let upstream: MockHttpServer;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    upstream = await startMockHttpServer(({ res }) => {
      const body = JSON.stringify({ error: { message: `overloaded\n${FORGED}\r\u0000`, type: 'server_error' } });
      res.writeHead(500, { 'content-type': 'application/json' }).end(body);
    });
    gateway = await startGateway({
      config: `
channels:
  - { name: up, baseUrl: "http://127.0.0.1:${upstream.port}/v1", models: [m] }
routes:
  - { name: m, retry: { attempts: 1 }, targets: [{ channel: up }] }
keys:
  - { name: k, key: ${KEY} }
`,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  it("writes an upstream's error with its line breaks escaped: it cannot add lines of its own", async () => {
    const client = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
    const call = client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    await expect(call).rejects.toMatchObject({ status: 502 });
    const warned = gateway
      .output()
      .split('\n')
      .filter((line) => line.includes('502 upstream_error'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain(`overloaded\\n${FORGED}\\r\\u0000`);
    expect(
      gateway
        .output()
        .split('\n')
        .filter((line) => line.startsWith(FORGED)),
    ).toEqual([]);
  });
});
