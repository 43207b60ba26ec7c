import Anthropic from '@anthropic-ai/sdk';
import { startMockHttpServer, startMockUpstream, type MockHttpServer, type MockUpstream } from '@synapse/testing';
import OpenAI from 'openai';
import { apiError } from './support/openai-calls';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { waitForLogEntry } from './support/request-log';

const KEY = 'sk-oversized-0123456789abcdefghij';

/** A run without spaces: one pre-token to the tokenizer, whose merge step is quadratic in its length. */
const RUN = 'a'.repeat(1_000_000);
/** o200k_base reads `aaaaaaaa` as one token. */
const RUN_TOKENS = RUN.length / 8;

const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'giant-event', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
const USAGE_CHUNK = `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'giant-event', choices: [], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } })}\n\n`;
/** MAX_ANSWER_BYTES here: an answer read whole stops there. */
const ANSWER_BOUND = 8 * 1024 * 1024;
/** One event of 32 MB: a tap that searched its whole event on every read took minutes over it. */
const GIANT_EVENT = chunk('b'.repeat(32 * 1024 * 1024));

/**
 * Texts far larger than an LLM call's usual, from callers and from upstreams: the gateway's work on
 * them (token counts, reading streams) stays linear and bounded, so that one such call never stalls
 * the others. Each test fails by its timeout on a build before the fix: minutes of event loop.
 */
describe('oversized inputs (the built gateway, real SDKs)', () => {
  let upstream: MockUpstream;
  let giant: MockHttpServer;
  let gateway: GatewayProcess;
  let openai: OpenAI;

  beforeAll(async () => {
    upstream = await startMockUpstream({ defaults: { noUsage: true } });
    giant = await startMockHttpServer(async ({ res, body }) => {
      if (body['model'] === 'endless-answer') {
        // A JSON answer that never ends (a runaway server, a base URL that names a huge file).
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"choices":[{"message":{"content":"');
        const ticker = setInterval(() => res.write('c'.repeat(256 * 1024)), 1);
        res.once('close', () => clearInterval(ticker));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('Hi'));
      for (let i = 0; i < GIANT_EVENT.length; i += 65_536) {
        if (!res.write(GIANT_EVENT.slice(i, i + 65_536))) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end(chunk('!') + USAGE_CHUNK + 'data: [DONE]\n\n');
    });
    gateway = await startGateway({
      config: `
channels:
  - { name: no-usage, type: openai, baseUrl: ${upstream.url}, models: [no-usage] }
  - { name: giant, type: openai, baseUrl: http://127.0.0.1:${giant.port}/v1, models: [giant-event, endless-answer] }
routes:
  - { name: endless-answer, retry: { attempts: 1 }, targets: [{ channel: giant }] }
keys:
  - { name: ci, key: ${KEY}, models: ["*"] }
`,
      env: { MAX_ANSWER_BYTES: String(ANSWER_BOUND) },
    });
    openai = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    await giant?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  it('counts a megabyte without spaces for messages.countTokens, and serves the next call', async () => {
    const claude = new Anthropic({ apiKey: KEY, baseURL: gateway.baseURL.replace(/\/v1$/, ''), maxRetries: 0 });
    const counted = await claude.messages.countTokens({
      model: 'no-usage',
      messages: [{ role: 'user', content: RUN }],
    });
    expect(Math.abs(counted.input_tokens - RUN_TOKENS) / RUN_TOKENS).toBeLessThan(0.02);
    expect((await openai.models.list()).data.map((m) => m.id)).toContain('no-usage');
  });

  it('logs a tokenizer count for a megabyte prompt to an upstream that reports no usage', async () => {
    const { request_id } = await openai.chat.completions
      .create({ model: 'no-usage', messages: [{ role: 'user', content: RUN }] })
      .withResponse();
    const entry = await waitForLogEntry(gateway.dataDir, request_id ?? '');
    expect(entry).toMatchObject({ status: 200, usageSource: 'tokenizer' });
    expect(Math.abs((entry.promptTokens ?? 0) - RUN_TOKENS) / RUN_TOKENS).toBeLessThan(0.02);
  });

  it('relays a stream with a 32 MB event whole, reading the usage after it', async () => {
    // fetch, not the SDK: the SDK's own reading of one 32 MB event is not what is tested here.
    const response = await fetch(`${gateway.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'giant-event', stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    const text = await response.text();
    // The caller did not ask for usage: the usage chunk is withheld, every other byte arrives.
    const expected = chunk('Hi') + GIANT_EVENT + chunk('!') + 'data: [DONE]\n\n';
    expect(text.length).toBe(expected.length);
    expect(text === expected).toBe(true);
    const entry = await waitForLogEntry(gateway.dataDir, response.headers.get('x-request-id') ?? '');
    expect(entry).toMatchObject({ status: 200, usageSource: 'upstream', promptTokens: 9, completionTokens: 3 });
  });

  it('ends an answer past MAX_ANSWER_BYTES with a 502 the caller can read, and goes on serving', async () => {
    const error = await apiError(
      openai.chat.completions.create({ model: 'endless-answer', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    const { status, error: body, requestID } = error;
    expect(status).toBe(502);
    expect(body).toMatchObject({ code: 'upstream_invalid_response' });
    const entry = await waitForLogEntry(gateway.dataDir, requestID ?? '');
    expect(entry).toMatchObject({ status: 502, errorClass: 'upstream_invalid_response' });
    expect(entry.errorMessage).toContain(`larger than MAX_ANSWER_BYTES (${ANSWER_BOUND} bytes)`);
    expect((await openai.models.list()).data.length).toBeGreaterThan(0);
  });

  it('refuses a body nested 100,000 deep in each caller’s protocol (it was a 500 from JSON.stringify)', async () => {
    const deep = (extra: object) =>
      JSON.stringify({ ...extra, x: 0 }).replace('"x":0', `"x":${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const chat = await fetch(`${gateway.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: deep({ model: 'no-usage', stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(chat.status).toBe(400);
    expect(await chat.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'invalid_json', message: expect.stringMatching(/deeper than 128/) },
    });
    const messages = await fetch(`${gateway.baseURL}/messages`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: deep({ model: 'no-usage', max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(messages.status).toBe(400);
    expect(await messages.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    // Bodies Fastify parses: the sign-in, to anyone (20,000 levels overflowed its validation).
    const login = await fetch(`${gateway.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: deep({ email: 'a@example.com', password: 'x' }),
    });
    expect(login.status).toBe(400);
    expect(await login.json()).toMatchObject({
      error: 'invalid_json',
      message: expect.stringMatching(/deeper than 128/),
    });
    expect(gateway.output()).not.toContain('RangeError');
    // Fastify's parser behind the check still refuses prototype poisoning.
    const poisoned = await fetch(`${gateway.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"__proto__":{"role":"owner"},"email":"a@example.com","password":"x"}',
    });
    expect(poisoned.status).toBe(400);
  });
});
