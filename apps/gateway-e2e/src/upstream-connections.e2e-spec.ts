import type { RequestLogEntry } from '@synapse/gateway/persistence';
import { chatCompletion, chatCompletionEvents, startMockHttpServer, type MockHttpServer } from '@synapse/testing';
import OpenAI from 'openai';
import type { Socket } from 'node:net';
import { readRequestLog } from './support/request-log';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { eventually } from './support/eventually';

const KEY = 'sk-connections-0123456789abcdef01';
const CALLS = 8;

/**
 * Python servers behind a gateway (vLLM and LiteLLM on uvicorn, 5 s; gunicorn, 2 s) close an idle
 * kept-alive connection without a `Keep-Alive: timeout` header to say when. When a call goes out
 * on such a connection just as the server closes it, the server never reads it. This upstream
 * does that to every call that comes on a connection it has answered before: the race, every time.
 */
describe('an upstream that closes kept-alive connections under calls (built gateway, openai SDK)', () => {
  let upstream: MockHttpServer;
  let gateway: GatewayProcess;
  let openai: OpenAI;
  let received = 0;

  beforeAll(async () => {
    const answered = new WeakSet<Socket>();
    upstream = await startMockHttpServer(({ req, res, body }) => {
      received += 1;
      if (answered.has(req.socket)) return void req.socket.destroy();
      answered.add(req.socket);
      if (body['stream'])
        res.writeHead(200, { 'content-type': 'text/event-stream' }).end(chatCompletionEvents(['answered']));
      else res.writeHead(200, { 'content-type': 'application/json' }).end(chatCompletion('answered'));
    });
    gateway = await startGateway({
      config: `
channels:
  - { name: uvicorn, baseUrl: "http://127.0.0.1:${upstream.port}/v1", models: [served] }
keys:
  - { name: k, key: ${KEY} }
`,
      env: { HEALTH_CHECK_INTERVAL_MS: '0' },
    });
    // No retries by the SDK: what the caller gets is what the gateway made of it.
    openai = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  it('answers every call at its first attempt, and the channel is never taken out', async () => {
    const ids: string[] = [];
    for (let n = 0; n < CALLS; n++) {
      const stream = n % 2 === 1;
      if (stream) {
        const { data, response } = await openai.chat.completions
          .create({ model: 'served', stream: true, messages: [{ role: 'user', content: 'hi' }] })
          .withResponse();
        let text = '';
        for await (const part of data) text += part.choices[0]?.delta.content ?? '';
        expect(text).toBe('answered');
        expect(response.headers.get('x-synapse-attempts')).toBe('1');
        ids.push(response.headers.get('x-request-id') as string);
      } else {
        const { data, response } = await openai.chat.completions
          .create({ model: 'served', messages: [{ role: 'user', content: 'hi' }] })
          .withResponse();
        expect(data.choices[0].message.content).toBe('answered');
        expect(response.headers.get('x-synapse-attempts')).toBe('1');
        ids.push(response.headers.get('x-request-id') as string);
      }
    }
    // Every call after the first came on a kept-alive connection and went twice.
    expect(received).toBe(2 * CALLS - 1);
    let rows: RequestLogEntry[] = [];
    await eventually(
      async () => {
        rows = (await readRequestLog(gateway.dataDir)).filter((row) => ids.includes(row.id));
        expect(rows).toHaveLength(CALLS);
      },
      { timeoutMs: 5000, intervalMs: 200 },
    );
    expect(rows.map((row) => [row.status, row.attempts, row.errorClass])).toEqual(
      Array.from({ length: CALLS }, () => [200, 1, null]),
    );
  });
});
