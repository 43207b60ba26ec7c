import { audioFixture, startMockDify, type MockDify } from '@synapse/testing';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { difyEvents, difySdk } from './support/dify-sdk';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { waitForLogEntry } from './support/request-log';

const execFileAsync = promisify(execFile);
const KEY = 'sk-dify-pass-0123456789abcdef';
const NO_DIFY_KEY = 'sk-dify-pass-none-0123456789ab';
const APP_KEY = 'app-upstream-SECRET-5e2a';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Dify ingress in pass-through mode (dify-client SDK against the built gateway, a mock Dify app upstream)', () => {
  let dify: MockDify;
  let gateway: GatewayProcess;
  let sdk: { baseUrl: string; apiKey: string };

  async function post(path: string, body: unknown, key = KEY) {
    const response = await fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return response;
  }

  /** Reads a stream up to its first complete event. */
  async function firstEvent(response: Response) {
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('\n\n')) text += decoder.decode((await reader.read()).value);
    return { reader, decoder, text, event: difyEvents(text.slice(0, text.indexOf('\n\n') + 2))[0] as Json };
  }

  beforeAll(async () => {
    dify = await startMockDify({ apiKey: APP_KEY });
    const config = `
channels:
  - { name: dify-app, type: dify, baseUrl: ${dify.url}, apiKey: ${APP_KEY}, models: [support-bot] }
routes:
  - { name: dify, retry: { attempts: 1 }, targets: [{ channel: dify-app, model: support-bot }] }
keys:
  - { name: ci, key: ${KEY}, models: ["*"] }
  - { name: no-dify, key: ${NO_DIFY_KEY}, models: ["other-*"] }
prices:
  "support-bot": { input: 1, output: 2 }
`;
    gateway = await startGateway({ config, env: { ROUTING_FAILURE_THRESHOLD: '1000' } });
    sdk = { baseUrl: gateway.baseURL, apiKey: KEY };
  });

  afterAll(async () => {
    await gateway?.stop();
    await dify?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  afterEach(() => dify.setDefaults({}));

  it('passes a chat through unchanged, with the app key, and logs usage and cost from the answer', async () => {
    const result = await difySdk<Json>(
      sdk,
      'ChatClient',
      'createChatMessage',
      { lang: 'en' },
      'Hi',
      'alice',
      false,
      null,
    );
    expect(result.data).toMatchObject({ event: 'message', mode: 'chat', answer: 'Turn 1: you said Hi' });
    const sent = dify.requests.at(-1);
    expect(sent?.path).toBe('/chat-messages');
    expect(sent?.headers['authorization']).toBe(`Bearer ${APP_KEY}`);
    expect(sent?.body).toEqual({
      inputs: { lang: 'en' },
      query: 'Hi',
      user: 'alice',
      response_mode: 'blocking',
      files: null,
    });
    const entry = await waitForLogEntry(gateway.dataDir, String(result.headers?.['x-request-id']));
    expect(entry).toMatchObject({ ingressFormat: 'dify', status: 200, promptTokens: 31, completionTokens: 7 });
    expect(entry.costUsd).toBeCloseTo((31 * 1 + 7 * 2) / 1e6, 9);

    // The upstream's conversation goes on, streamed event by event as Dify sent it (pings too).
    const streamed = await difySdk(
      sdk,
      'ChatClient',
      'createChatMessage',
      {},
      'More',
      'alice',
      true,
      result.data?.['conversation_id'],
    );
    expect(streamed.text).toContain('event: ping\n\n');
    const events = difyEvents(streamed.text ?? '');
    expect(events.map((e) => e['event'])).toEqual(['message', 'message', 'message_end']);
    expect(events.map((e) => e['answer'] ?? '').join('')).toBe('Turn 2: you said More');
    expect(events[0]?.['conversation_id']).toBe(result.data?.['conversation_id']);
    const streamedEntry = await waitForLogEntry(gateway.dataDir, String(streamed.headers?.['x-request-id']));
    expect(streamedEntry).toMatchObject({ ingressFormat: 'dify', stream: true, totalTokens: 38 });
  });

  it("passes Dify's 404 for a conversation the caller named on as the caller's: the app stays in service", async () => {
    const before = dify.requests.length;
    const response = await post('/v1/chat-messages', {
      query: 'Hi',
      inputs: {},
      user: 'alice',
      response_mode: 'blocking',
      conversation_id: '00000000-0000-4000-8000-000000000404',
    });
    const said = (await response.json()) as Json;
    expect({ status: response.status, ...said }).toMatchObject({
      status: 404,
      code: 'not_found',
      message: 'Conversation Not Exists.',
    });
    // Sent once, not tried again as a failure of the app.
    expect(dify.requests.length).toBe(before + 1);
    const next = await post('/v1/chat-messages', { query: 'Hi', inputs: {}, user: 'alice', response_mode: 'blocking' });
    expect(next.status).toBe(200);
  });

  it('passes completion messages through (CompletionClient)', async () => {
    const result = await difySdk<Json>(sdk, 'CompletionClient', 'createCompletionMessage', { query: 'x' }, 'alice');
    expect(result.data).toMatchObject({ mode: 'completion', answer: 'Completed: x' });
    expect(dify.requests.at(-1)?.path).toBe('/completion-messages');
  });

  it('sends the stop endpoint to the Dify app, which ends the stream', async () => {
    dify.setDefaults({ hold: true });
    const response = await post('/v1/chat-messages', {
      query: 'long',
      inputs: {},
      user: 'bob',
      response_mode: 'streaming',
    });
    const first = await firstEvent(response);
    const { reader, decoder, event } = first;
    let { text } = first;
    const stop = await post(`/v1/chat-messages/${event['task_id']}/stop`, { user: 'bob' });
    expect(stop.status).toBe(200);
    expect(await stop.json()).toEqual({ result: 'success' });
    expect(dify.stops).toContainEqual({ taskId: event['task_id'], user: 'bob' });
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value);
    expect(text).toContain('"event":"message_end"');
  });

  it('tells the Dify app to stop the task when the caller hangs up', async () => {
    dify.setDefaults({ hold: true });
    const controller = new AbortController();
    const response = await fetch(`${gateway.url}/v1/chat-messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'long', inputs: {}, user: 'carol', response_mode: 'streaming' }),
      signal: controller.signal,
    });
    const { event } = await firstEvent(response);
    controller.abort();
    for (let i = 0; i < 100 && !dify.stops.some((s) => s.taskId === event['task_id']); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(dify.stops).toContainEqual({ taskId: event['task_id'], user: 'carol' });
  });

  it('passes the other Dify paths through to the app (getApplicationParameters, conversations)', async () => {
    const parameters = await difySdk<Json>(sdk, 'DifyClient', 'getApplicationParameters', 'alice');
    // The mock app's own parameters, not the gateway-backed ones.
    expect(parameters.data).toEqual({
      opening_statement: '',
      user_input_form: [],
      file_upload: { image: { enabled: false } },
    });
    expect(dify.requests.at(-1)).toMatchObject({ method: 'GET', path: '/parameters' });
    const conversations = await fetch(`${gateway.url}/v1/conversations?user=alice`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    // The mock has no conversation list: its own 404 comes back as it is.
    expect(conversations.status).toBe(404);
    expect(await conversations.json()).toEqual({ code: 'not_found', message: 'Not Found', status: 404 });
    expect(dify.requests.at(-1)).toMatchObject({ method: 'GET', path: '/conversations' });
  });

  it("passes speech to text and text to speech to the app, as Dify's docs call them with curl", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dify-audio-'));
    try {
      const recording = join(dir, 'meeting.mp3');
      writeFileSync(recording, audioFixture('tone.mp3'));
      const auth = ['--header', `Authorization: Bearer ${KEY}`];
      const { stdout: heard } = await execFileAsync('curl', [
        ...['-sS', '-X', 'POST', `${gateway.baseURL}/audio-to-text`, ...auth],
        ...['--form', `file=@${recording};type=audio/mp3`, '--form', 'user=abc-123'],
      ]);
      expect(JSON.parse(heard)).toEqual({ text: `Heard ${audioFixture('tone.mp3').length} bytes of audio.` });
      expect(dify.requests.at(-1)).toMatchObject({
        method: 'POST',
        path: '/audio-to-text',
        headers: { authorization: `Bearer ${APP_KEY}` },
        body: { user: 'abc-123', file: { filename: 'meeting.mp3', type: 'audio/mp3' } },
      });

      const spoken = join(dir, 'text-to-audio.wav');
      const { stdout: status } = await execFileAsync('curl', [
        ...[
          '-sS',
          '-o',
          spoken,
          '-w',
          '%{http_code} %{content_type}',
          '-X',
          'POST',
          `${gateway.baseURL}/text-to-audio`,
        ],
        ...auth,
        ...['--header', 'Content-Type: application/json'],
        ...['--data-raw', '{"text": "Hello Dify", "user": "abc-123", "streaming": false}'],
      ]);
      expect(status).toBe('200 audio/wav');
      expect(readFileSync(spoken)).toEqual(audioFixture('tone.wav'));

      // The app's own refusal comes back as it is, in Dify's shape.
      const text = join(dir, 'notes.txt');
      writeFileSync(text, 'not audio');
      const { stdout: refused } = await execFileAsync('curl', [
        ...['-sS', '-X', 'POST', `${gateway.baseURL}/audio-to-text`, ...auth],
        ...['--form', `file=@${text};type=text/plain`, '--form', 'user=abc-123'],
      ]);
      expect(JSON.parse(refused)).toMatchObject({ code: 'unsupported_audio_type', status: 415 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets nothing reach the app that the key may not reach', async () => {
    const before = dify.requests.length;
    const parameters = await fetch(`${gateway.url}/v1/parameters`, {
      headers: { authorization: `Bearer ${NO_DIFY_KEY}` },
    });
    expect(parameters.status).toBe(403);
    expect(await parameters.json()).toMatchObject({ code: 'forbidden', status: 403 });
    const chat = await post('/v1/chat-messages', { query: 'x', inputs: {}, user: 'u' }, NO_DIFY_KEY);
    expect(chat.status).toBe(403);
    expect(dify.requests.length).toBe(before);
  });

  it('relays the app’s errors in Dify shape', async () => {
    dify.setDefaults({ status: 429 });
    const limited = await post('/v1/chat-messages', { query: 'x', inputs: {}, user: 'u' });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ code: 'too_many_requests', status: 429 });
  });
});
