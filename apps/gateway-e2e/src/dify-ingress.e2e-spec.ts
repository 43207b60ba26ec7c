import { rawExchange, startMockUpstream, type MockUpstream } from '@synapse/testing';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { difyEvents, difySdk, type SdkResult } from './support/dify-sdk';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { readRequestLog, waitForLogEntry } from './support/request-log';

const KEY = 'sk-dify-in-0123456789abcdef';
const SPECIAL_KEY = 'sk-dify-special-0123456789ab';
const NO_DIFY_KEY = 'sk-dify-none-0123456789abcdef';
const RPM_KEY = 'sk-dify-rpm-0123456789abcdef';
const ANSWER = 'Hello from the mock upstream.';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Dify service API ingress (dify-client SDK and raw HTTP against the built gateway)', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;
  let sdk: { baseUrl: string; apiKey: string };

  /** A raw HTTP call on the gateway, as curl would make it. */
  async function http(
    method: string,
    path: string,
    options: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; headers: Headers; text: string; json: () => Json }> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key !== null) headers['authorization'] = `Bearer ${options.key ?? KEY}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${gateway.url}${path}`, { method, headers, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as Json };
  }

  const lastUpstreamBody = () => upstream.requests[upstream.requests.length - 1]?.body as Json;

  beforeAll(async () => {
    upstream = await startMockUpstream();
    const config = `
channels:
  - { name: openai-mock, type: openai, baseUrl: ${upstream.url}, models: [gpt-mock, gpt-special], timeouts: { firstByteMs: 3000 } }
routes:
  - { name: dify, retry: { attempts: 1 }, targets: [{ channel: openai-mock, model: gpt-mock }] }
  - { name: dify/special, retry: { attempts: 1 }, targets: [{ channel: openai-mock, model: gpt-special }] }
keys:
  - { name: ci, key: ${KEY}, models: ["*"] }
  - { name: special, key: ${SPECIAL_KEY}, models: ["dify/special"] }
  - { name: no-dify, key: ${NO_DIFY_KEY}, models: ["other-*"] }
  - { name: rpm, key: ${RPM_KEY}, models: ["*"], limits: { rpm: 1 } }
prices:
  "gpt-mock": { input: 1, output: 2 }
`;
    // Pings every 300 ms instead of Dify's 10 s, so that a test can wait for one.
    gateway = await startGateway({ config, env: { ROUTING_FAILURE_THRESHOLD: '1000', DIFY_PING_INTERVAL_MS: '300' } });
    sdk = { baseUrl: gateway.baseURL, apiKey: KEY };
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  afterEach(() => upstream.setDefaults({}));

  describe('a conversation through ChatClient', () => {
    let conversationId: string;
    let firstMessageId: string;

    it('answers createChatMessage (blocking) and logs usage and cost as a Dify call', async () => {
      const result = await difySdk(
        sdk,
        'ChatClient',
        'createChatMessage',
        { system: 'Be brief.' },
        'Hi there',
        'alice',
        false,
        null,
      );
      expect(result.status).toBe(200);
      const data = result.data as Json;
      expect(data).toMatchObject({
        event: 'message',
        mode: 'chat',
        answer: ANSWER,
        metadata: {
          usage: {
            prompt_tokens: 11,
            completion_tokens: 6,
            total_tokens: 17,
            prompt_price: '0.000011',
            completion_price: '0.000012',
            total_price: '0.000023',
            currency: 'USD',
          },
          retriever_resources: [],
        },
      });
      expect(data['task_id']).toMatch(UUID);
      expect(data['conversation_id']).toMatch(UUID);
      expect(data['id']).toBe(data['message_id']);
      expect(typeof data['created_at']).toBe('number');
      conversationId = data['conversation_id'];
      firstMessageId = data['message_id'];
      expect(lastUpstreamBody()).toMatchObject({
        model: 'gpt-mock',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi there' },
        ],
      });
      const entry = await waitForLogEntry(gateway.dataDir, String(result.headers?.['x-request-id']));
      expect(entry).toMatchObject({
        ingressFormat: 'dify',
        endpoint: 'chat.completions',
        requestedModel: 'dify',
        upstreamModel: 'gpt-mock',
        status: 200,
        promptTokens: 11,
        completionTokens: 6,
      });
      expect(entry.costUsd).toBeCloseTo(0.000023, 9);
    });

    it('continues it streaming: the history goes upstream, events are framed as Dify frames them', async () => {
      const result = await difySdk(
        sdk,
        'ChatClient',
        'createChatMessage',
        {},
        'And then?',
        'alice',
        true,
        conversationId,
      );
      expect(result.status).toBe(200);
      expect(String(result.headers?.['content-type'])).toMatch(/^text\/event-stream/);
      const events = difyEvents(result.text ?? '');
      expect(events.map((e) => e['event'])).toEqual(['message', 'message', 'message', 'message_end']);
      const [first] = events;
      for (const event of events) {
        expect(event).toMatchObject({
          task_id: first?.['task_id'],
          message_id: first?.['message_id'],
          conversation_id: conversationId,
          created_at: first?.['created_at'],
        });
      }
      expect(
        events
          .slice(0, 3)
          .map((e) => e['answer'])
          .join(''),
      ).toBe('Hello from the');
      expect(events[3]?.['metadata']).toMatchObject({
        usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14, currency: 'USD' },
        retriever_resources: [],
      });
      expect(lastUpstreamBody()['messages']).toEqual([
        { role: 'user', content: 'Hi there' },
        { role: 'assistant', content: ANSWER },
        { role: 'user', content: 'And then?' },
      ]);
      expect(lastUpstreamBody()['stream_options']).toEqual({ include_usage: true });
    });

    it('lists the conversation for its user only (getConversations)', async () => {
      const mine = await difySdk<Json>(sdk, 'ChatClient', 'getConversations', 'alice');
      expect(mine.data).toMatchObject({ limit: 20, has_more: false });
      expect(mine.data?.['data']).toEqual([
        expect.objectContaining({
          id: conversationId,
          name: 'Hi there',
          status: 'normal',
          inputs: { system: 'Be brief.' },
        }),
      ]);
      const theirs = await difySdk<Json>(sdk, 'ChatClient', 'getConversations', 'bob');
      expect(theirs.data?.['data']).toEqual([]);
    });

    it('lists its messages oldest first (getConversationMessages), and gives them feedback (messageFeedback)', async () => {
      const feedback = await difySdk(sdk, 'DifyClient', 'messageFeedback', firstMessageId, 'like', 'alice');
      expect(feedback.data).toEqual({ result: 'success' });
      const page = await difySdk<Json>(sdk, 'ChatClient', 'getConversationMessages', 'alice', conversationId);
      expect(page.data).toMatchObject({ limit: 20, has_more: false });
      expect(page.data?.['data']).toEqual([
        expect.objectContaining({
          id: firstMessageId,
          conversation_id: conversationId,
          query: 'Hi there',
          answer: ANSWER,
          feedback: { rating: 'like' },
          message_tokens: 11,
          answer_tokens: 6,
        }),
        expect.objectContaining({ query: 'And then?', answer: 'Hello from the', feedback: null }),
      ]);
      const older = await http('GET', `/v1/messages?user=alice&conversation_id=${conversationId}&limit=1`);
      expect(older.json()).toMatchObject({ limit: 1, has_more: true, data: [{ query: 'And then?' }] });
      const otherUser = await difySdk(sdk, 'ChatClient', 'getConversationMessages', 'bob', conversationId);
      expect(otherUser.error).toEqual({
        status: 404,
        data: { code: 'not_found', message: 'Conversation Not Exists.', status: 404 },
      });
    });

    it('renames it by name and by auto_generate (renameConversation)', async () => {
      const named = await difySdk<Json>(sdk, 'ChatClient', 'renameConversation', conversationId, 'Greetings', 'alice');
      expect(named.data).toMatchObject({ id: conversationId, name: 'Greetings' });
      const auto = await difySdk<Json>(sdk, 'ChatClient', 'renameConversation', conversationId, null, 'alice', true);
      expect(auto.data).toMatchObject({ id: conversationId, name: 'Hi there' });
    });

    it('deletes it (deleteConversation); it is then unknown everywhere', async () => {
      const deleted = await difySdk(sdk, 'ChatClient', 'deleteConversation', conversationId, 'alice');
      expect(deleted.status).toBe(204);
      const again = await http('POST', '/v1/chat-messages', {
        body: { query: 'hello?', inputs: {}, user: 'alice', conversation_id: conversationId },
      });
      expect(again.status).toBe(404);
      expect(again.json()).toEqual({ code: 'not_found', message: 'Conversation Not Exists.', status: 404 });
      const list = await difySdk<Json>(sdk, 'ChatClient', 'getConversations', 'alice');
      expect(list.data?.['data']).toEqual([]);
    });
  });

  it('answers completion messages, blocking and streaming, without a conversation (CompletionClient)', async () => {
    const blocking = await difySdk<Json>(
      sdk,
      'CompletionClient',
      'createCompletionMessage',
      { query: 'Write a haiku' },
      'alice',
    );
    expect(blocking.data).toMatchObject({ event: 'message', mode: 'completion', answer: ANSWER });
    expect(blocking.data).not.toHaveProperty('conversation_id');
    expect(lastUpstreamBody()['messages']).toEqual([{ role: 'user', content: 'Write a haiku' }]);
    const streamed = await difySdk(sdk, 'CompletionClient', 'createCompletionMessage', { topic: 'tea' }, 'alice', true);
    const events = difyEvents(streamed.text ?? '');
    expect(events.map((e) => e['event'])).toEqual(['message', 'message', 'message', 'message_end']);
    expect(events.every((e) => !('conversation_id' in e) && typeof e['task_id'] === 'string')).toBe(true);
    expect(lastUpstreamBody()['messages']).toEqual([{ role: 'user', content: 'topic: tea' }]);
  });

  it('runs a workflow as one LLM node, blocking and streaming (CompletionClient.runWorkflow)', async () => {
    const blocking = await difySdk<Json>(sdk, 'CompletionClient', 'runWorkflow', { query: 'Translate: hi' }, 'alice');
    expect(blocking.data).toMatchObject({
      task_id: expect.stringMatching(UUID),
      workflow_run_id: expect.stringMatching(UUID),
      data: { status: 'succeeded', outputs: { text: ANSWER }, total_tokens: 17, total_steps: 1, error: null },
    });
    const streamed = await difySdk(sdk, 'CompletionClient', 'runWorkflow', { query: 'Translate: hi' }, 'alice', true);
    const events = difyEvents(streamed.text ?? '');
    expect(events.map((e) => e['event'])).toEqual([
      'workflow_started',
      'node_started',
      'text_chunk',
      'text_chunk',
      'text_chunk',
      'node_finished',
      'workflow_finished',
    ]);
    expect(events[6]?.['data']).toMatchObject({
      status: 'succeeded',
      outputs: { text: 'Hello from the' },
      total_tokens: 14,
    });
  });

  it('answers getApplicationParameters, /info and /meta', async () => {
    const parameters = await difySdk<Json>(sdk, 'DifyClient', 'getApplicationParameters', 'alice');
    expect(parameters.data?.['user_input_form']).toEqual([
      { paragraph: expect.objectContaining({ variable: 'system' }) },
      { paragraph: expect.objectContaining({ variable: 'query' }) },
    ]);
    expect(parameters.data?.['file_upload']).toMatchObject({ image: { enabled: true } });
    expect((await http('GET', '/v1/info')).json()).toMatchObject({ name: 'dify', mode: 'chat' });
    expect((await http('GET', '/v1/info', { key: SPECIAL_KEY })).json()).toMatchObject({ name: 'dify/special' });
    expect((await http('GET', '/v1/meta')).json()).toEqual({ tool_icons: {} });
  });

  it('serves a key from its own route dify/<key name>', async () => {
    const result = await http('POST', '/v1/chat-messages', {
      key: SPECIAL_KEY,
      body: { query: 'hi', inputs: {}, user: 'carol', response_mode: 'blocking' },
    });
    expect(result.status).toBe(200);
    expect(lastUpstreamBody()['model']).toBe('gpt-special');
  });

  it('takes an uploaded image (fileUpload) as an image input of a later message', async () => {
    const upload = await difySdk<Json>(sdk, 'DifyClient', 'fileUpload', {
      name: 'dot.png',
      type: 'image/png',
      base64: PNG,
      user: 'alice',
    });
    expect(upload.status).toBe(201);
    expect(upload.data).toMatchObject({
      name: 'dot.png',
      extension: 'png',
      mime_type: 'image/png',
      created_by: 'alice',
    });
    const files = [{ type: 'image', transfer_method: 'local_file', upload_file_id: upload.data?.['id'] }];
    const answer = await difySdk<Json>(
      sdk,
      'ChatClient',
      'createChatMessage',
      {},
      'What is this?',
      'alice',
      false,
      null,
      files,
    );
    expect(answer.data).toMatchObject({ answer: ANSWER });
    expect(lastUpstreamBody()['messages']).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
        ],
      },
    ]);
    // Uploads belong to their user: another one cannot use the id.
    const foreign = await http('POST', '/v1/chat-messages', {
      body: { query: 'x', inputs: {}, user: 'bob', files },
    });
    expect(foreign.json()).toEqual({ code: 'not_found', message: 'File Not Exists.', status: 404 });
    const text = await http('POST', '/v1/files/upload', {
      raw: '--b\r\nContent-Disposition: form-data; name="file"; filename="a.exe"\r\n\r\nMZ\r\n--b--\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    });
    expect(text.status).toBe(415);
    expect(text.json()).toEqual({ code: 'unsupported_file_type', message: 'File type not allowed.', status: 415 });
    // Names that are properties of every object (found by fuzzing: `__proto__` answered 500).
    for (const filename of ['__proto__', 'a.constructor', 'b.toString']) {
      const named = await http('POST', '/v1/files/upload', {
        raw: `--b\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n\r\nGIF89a\r\n--b--\r\n`,
        headers: { 'content-type': 'multipart/form-data; boundary=b' },
      });
      expect({ filename, status: named.status, body: named.json() }).toEqual({
        filename,
        status: 415,
        body: { code: 'unsupported_file_type', message: 'File type not allowed.', status: 415 },
      });
    }
  });

  it('stops a streaming answer: the upstream call is aborted and the stream ends with message_end', async () => {
    upstream.setDefaults({ gate: 'dify-stop', chunks: 5 });
    const aborted = upstream.aborted;
    const response = await fetch(`${gateway.url}/v1/chat-messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'long story', inputs: {}, user: 'dave', response_mode: 'streaming' }),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('\n\n')) text += decoder.decode((await reader.read()).value);
    const first = difyEvents(text.slice(0, text.indexOf('\n\n') + 2))[0] as Json;
    expect(first).toMatchObject({ event: 'message', answer: 'Hello' });
    // Someone else's stop does nothing (and still answers success, as Dify does).
    const foreign = await http('POST', `/v1/chat-messages/${first['task_id']}/stop`, { body: { user: 'mallory' } });
    expect(foreign.json()).toEqual({ result: 'success' });
    const stop = await http('POST', `/v1/chat-messages/${first['task_id']}/stop`, { body: { user: 'dave' } });
    expect(stop.status).toBe(200);
    expect(stop.json()).toEqual({ result: 'success' });
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value);
    const events = difyEvents(text);
    expect(events.map((e) => e['event'])).toEqual(['message', 'message_end']);
    for (let i = 0; i < 50 && upstream.aborted === aborted; i++) await new Promise((r) => setTimeout(r, 20));
    expect(upstream.aborted).toBe(aborted + 1);
    upstream.release('dify-stop');
    const entry = await waitForLogEntry(gateway.dataDir, String(response.headers.get('x-request-id')));
    expect(entry).toMatchObject({ ingressFormat: 'dify', status: 499, errorClass: 'client_closed' });
    const missingUser = await http('POST', `/v1/workflows/tasks/${first['task_id']}/stop`, { body: {} });
    expect(missingUser.json()).toEqual({ code: 'invalid_param', message: 'Arg user must be provided.', status: 400 });
  });

  it.each([
    ['a completion', '/v1/completion-messages', '/v1/completion-messages', 'message', 'message_end'],
    ['a workflow run', '/v1/workflows/run', '/v1/workflows/tasks', 'text_chunk', 'workflow_finished'],
  ])('stops %s through its own stop endpoint', async (_, run, stopBase, chunkEvent, lastEvent) => {
    const gate = `dify-stop${run.replace(/\W/g, '-')}`;
    upstream.setDefaults({ gate, chunks: 5 });
    const response = await fetch(`${gateway.url}${run}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: { query: 'long story' }, user: 'erin', response_mode: 'streaming' }),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    // Up to the first chunk of the answer: the upstream holds its stream after it.
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += decoder.decode(chunk.value, { stream: true });
      if (difyEvents(text).some((e) => e['event'] === chunkEvent)) break;
    }
    const taskId = difyEvents(text)[0]?.['task_id'];
    expect(taskId).toMatch(UUID);
    const stop = await http('POST', `${stopBase}/${taskId}/stop`, { body: { user: 'erin' } });
    expect(stop.json()).toEqual({ result: 'success' });
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += decoder.decode(chunk.value, { stream: true });
    }
    upstream.release(gate);
    const events = difyEvents(text);
    expect(events.filter((e) => e['event'] === chunkEvent)).toHaveLength(1);
    expect(events.at(-1)?.['event']).toBe(lastEvent);
    if (lastEvent === 'workflow_finished') expect(events.at(-1)?.['data']).toMatchObject({ status: 'stopped' });
  });

  it('keeps a quiet stream alive with event: ping between the events', async () => {
    upstream.setDefaults({ gate: 'dify-ping', chunks: 2 });
    const response = await fetch(`${gateway.url}/v1/chat-messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'slow', inputs: {}, user: 'erin', response_mode: 'streaming' }),
    });
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    let done = false;
    // The upstream holds its stream after the first chunk: only pings can come until it is released.
    const deadline = Date.now() + 5_000;
    while (!done && Date.now() < deadline && (text.match(/event: ping\n\n/g) ?? []).length < 2) {
      const chunk = await reader.read();
      done = chunk.done;
      if (chunk.value) text += decoder.decode(chunk.value, { stream: true });
    }
    expect(done).toBe(false);
    expect(text).toMatch(/^data: \{"event":"message".*\n\nevent: ping\n\nevent: ping\n\n$/s);
    upstream.release('dify-ping');
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += decoder.decode(chunk.value, { stream: true });
    }
    // Pings are not data blocks: an SSE reader sees the message events and their end only.
    expect(difyEvents(text).map((e) => e['event'])).toEqual(['message', 'message', 'message_end']);
  }, 15_000);

  describe('errors in Dify shape (raw HTTP)', () => {
    it.each([
      ['bad JSON', { raw: '{"query": ' }, 400, 'invalid_param', 'The request body is not valid JSON.'],
      ['no user', { body: { query: 'x', inputs: {} } }, 400, 'invalid_param', 'Arg user must be provided.'],
      ['no inputs', { body: { query: 'x', user: 'u' } }, 400, 'invalid_param', 'inputs is required in input form'],
      ['no key', { key: null, body: { query: 'x', inputs: {}, user: 'u' } }, 401, 'unauthorized', expect.any(String)],
      [
        'a wrong key',
        { key: 'sk-wrong-0123456789abcdef', body: { query: 'x', inputs: {}, user: 'u' } },
        401,
        'unauthorized',
        expect.any(String),
      ],
      [
        'a key that may not use the Dify route',
        { key: NO_DIFY_KEY, body: { query: 'x', inputs: {}, user: 'u' } },
        403,
        'forbidden',
        "This API key is not allowed to use the model 'dify'.",
      ],
      [
        'an unknown conversation',
        { body: { query: 'x', inputs: {}, user: 'u', conversation_id: '6b1e0c7a-2f54-4c53-9a61-0c1a9e7d2b10' } },
        404,
        'not_found',
        'Conversation Not Exists.',
      ],
    ])('%s', async (_name, options, status, code, message) => {
      const before = upstream.requests.length;
      const result = await http('POST', '/v1/chat-messages', options as never);
      expect(result.status).toBe(status);
      expect(result.json()).toEqual({ code, message, status });
      expect(upstream.requests.length).toBe(before);
      const entry = await waitForLogEntry(gateway.dataDir, String(result.headers.get('x-request-id')));
      expect(entry).toMatchObject({ ingressFormat: 'dify', status });
    });

    it('answers over the rate limit with 429 too_many_requests', async () => {
      const body = { query: 'x', inputs: {}, user: 'u' };
      expect((await http('POST', '/v1/chat-messages', { key: RPM_KEY, body })).status).toBe(200);
      const limited = await http('POST', '/v1/chat-messages', { key: RPM_KEY, body });
      expect(limited.status).toBe(429);
      expect(limited.json()).toMatchObject({ code: 'too_many_requests', status: 429 });
    });

    it('reports an upstream failure as an error body (blocking) or an error event (streaming)', async () => {
      upstream.setDefaults({ status: 500 });
      const blocking = await http('POST', '/v1/chat-messages', { body: { query: 'x', inputs: {}, user: 'u' } });
      expect(blocking.status).toBeGreaterThanOrEqual(500);
      expect(blocking.json()).toMatchObject({ code: expect.stringMatching(/error$/), status: blocking.status });
      upstream.setDefaults({ reset: 'mid', chunks: 4 });
      const streamed = await http('POST', '/v1/chat-messages', {
        body: { query: 'x', inputs: {}, user: 'u', response_mode: 'streaming' },
      });
      expect(streamed.status).toBe(200);
      const events = difyEvents(streamed.text);
      expect(events.at(-1)).toMatchObject({
        event: 'error',
        status: 500,
        code: 'completion_request_error',
        task_id: events[0]?.['task_id'],
      });
      expect(events.map((e) => e['event'])).not.toContain('message_end');
      // A failed turn is not kept: the new conversation does not exist.
      const conversations = await http('GET', '/v1/conversations?user=u');
      const ids = (conversations.json()['data'] as Json[]).map((c) => c['id']);
      expect(ids).not.toContain(events[0]?.['conversation_id']);
    });

    it('answers Dify history paths in Dify shape too', async () => {
      expect((await http('GET', '/v1/messages?user=u')).json()).toEqual({
        code: 'invalid_param',
        message: 'conversation_id is required',
        status: 400,
      });
      expect((await http('GET', '/v1/conversations?user=u&limit=500')).json()).toMatchObject({
        code: 'invalid_param',
        status: 400,
      });
      expect((await http('GET', '/v1/conversations', { key: 'sk-nope-0123456789abcdef' })).json()).toMatchObject({
        code: 'unauthorized',
        status: 401,
      });
      const feedback = await http('POST', '/v1/messages/6b1e0c7a-2f54-4c53-9a61-0c1a9e7d2b10/feedbacks', {
        body: { rating: 'like', user: 'u' },
      });
      expect(feedback.json()).toEqual({ code: 'not_found', message: 'Message Not Exists.', status: 404 });
    });

    it('answers ids with malformed percent-escapes as ids that name nothing, and keeps serving', async () => {
      // Once, the first of these ended the gateway's process: decodeURIComponent threw on the request event.
      const rename = await http('POST', '/v1/conversations/%E0%A4%A/name', { body: { name: 'x', user: 'u' } });
      expect(rename.json()).toEqual({ code: 'not_found', message: 'Conversation Not Exists.', status: 404 });
      const removed = await http('DELETE', '/v1/conversations/%ZZ', { body: { user: 'u' } });
      expect(removed.json()).toEqual({ code: 'not_found', message: 'Conversation Not Exists.', status: 404 });
      const feedback = await http('POST', '/v1/messages/%C0/feedbacks', { body: { rating: 'like', user: 'u' } });
      expect(feedback.json()).toEqual({ code: 'not_found', message: 'Message Not Exists.', status: 404 });
      const stop = await http('POST', '/v1/chat-messages/%E0/stop', { body: { user: 'u' } });
      // As Dify does for a task it does not know.
      expect(stop.json()).toEqual({ result: 'success' });
      expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
    });

    it('takes a caller that leaves halfway through its body as gone, not as a fault', async () => {
      const { port } = new URL(gateway.url);
      for (const path of ['/v1/chat-messages', '/v1/files/upload']) {
        const socket = connect(Number(port), '127.0.0.1');
        await new Promise((resolve) => socket.once('connect', resolve));
        socket.write(
          `POST ${path} HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer ${KEY}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query": ',
        );
        await sleep(100);
        socket.destroy();
      }
      await sleep(200);
      expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
      expect(gateway.output()).not.toMatch(/ERROR.*Dify POST/);
    });
  });

  it("says in Dify's shape that speech is served only by a Dify app behind the gateway, before reading a recording", async () => {
    const calls = upstream.requests.length;
    // 14 MB announced and none sent: the answer comes before any of it is read.
    const answer = await rawExchange(Number(new URL(gateway.url).port), [
      'POST /v1/audio-to-text HTTP/1.1\r\nHost: gateway\r\n',
      `Authorization: Bearer ${KEY}\r\nContent-Type: multipart/form-data; boundary=x\r\n`,
      `Content-Length: ${14 * 1024 * 1024}\r\n\r\n`,
    ]);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    const heard = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Json;
    expect(heard).toMatchObject({ code: 'provider_not_support_speech_to_text', status: 400 });
    expect(heard['message']).toContain('/v1/audio/transcriptions');
    const spoken = await http('POST', '/v1/text-to-audio', { body: { text: 'Hello Dify', user: 'abc-123' } });
    expect(spoken.status).toBe(400);
    expect(spoken.json()).toMatchObject({ code: 'provider_not_support_text_to_speech', status: 400 });
    expect(upstream.requests.length).toBe(calls);
  });

  it('leaves POST /v1/messages to the Anthropic ingress and the OpenAI path as it was', async () => {
    const anthropic = await http('POST', '/v1/messages', {
      headers: { 'anthropic-version': '2023-06-01' },
      body: { model: 'dify', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(anthropic.status).toBe(200);
    expect(anthropic.json()).toMatchObject({ type: 'message', role: 'assistant' });
    const openai = await http('POST', '/v1/chat/completions', {
      body: { model: 'dify', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(openai.json()).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: ANSWER } }] });
    const models = await http('GET', '/v1/models');
    expect(models.status).toBe(200);
    const log = await readRequestLog(gateway.dataDir);
    expect(log.find((e) => e.id === openai.headers.get('x-request-id'))?.ingressFormat ?? null).toBeNull();
  });
});

export type { SdkResult };
