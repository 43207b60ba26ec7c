import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { apiError, type WithMock } from './support/openai-calls';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { waitForLogEntry } from './support/request-log';

const UPSTREAM_SECRET = 'sk-upstream-SECRET-7c1f9e';
const execFileAsync = promisify(execFile);
const KEY = 'sk-test-0123456789abcdef0123';
const LIMITED_KEY = 'sk-limited-0123456789abcdef0123';
const EXPIRED_KEY = 'sk-expired-0123456789abcdef0123';
const DISABLED_KEY = 'sk-disabled-0123456789abcdef012';

describe('OpenAI-compatible proxy (openai SDK against the built gateway)', () => {
  let upstream: MockUpstream;
  let gateway: GatewayProcess;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await startMockUpstream({ apiKey: UPSTREAM_SECRET });
    const config = `
channels:
  - name: openai-main
    type: openai
    baseUrl: ${upstream.url}
    apiKey: \${UPSTREAM_KEY}
    models: [gpt-4o-mini, text-embedding-3-small, gpt-3.5-turbo-instruct, meta-llama/Llama-3.1-8B]
    timeouts: { firstByteMs: 1500 }
  - name: wrong-key
    baseUrl: ${upstream.url}
    apiKey: sk-upstream-WRONG-aaaaaaaa
    models: [wrong-key-model]
  - name: nowhere
    baseUrl: http://127.0.0.1:9/v1
    models: [unreachable-model]
routes:
  # One attempt, so that each upstream failure below maps to exactly one answer.
  - { name: gpt-4o-mini, retry: { attempts: 1 }, targets: [{ channel: openai-main }] }
keys:
  - { name: ci, key: ${KEY}, models: ["*"] }
  - { name: limited, key: ${LIMITED_KEY}, models: ["text-embedding-*"] }
  - { name: expired, key: ${EXPIRED_KEY}, expiresAt: "2020-01-01T00:00:00Z" }
  - { name: disabled, key: ${DISABLED_KEY}, enabled: false }
`;
    gateway = await startGateway({
      config,
      env: {
        UPSTREAM_KEY: UPSTREAM_SECRET,
        MAX_BODY_BYTES: '65536',
        // This suite checks how each failure is answered; cooldowns are tested in routing.e2e-spec.ts.
        ROUTING_FAILURE_THRESHOLD: '1000',
      },
    });
    client = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  const clientWith = (apiKey: string) => new OpenAI({ apiKey, baseURL: gateway.baseURL, maxRetries: 0 });

  describe('chat completions', () => {
    it('answers a non-streaming call and passes unknown fields both ways', async () => {
      const { data, response, request_id } = await client.chat.completions
        .create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'Hello' }],
          mock: {},
          custom_vendor_field: { nested: [1, 2] },
        } as WithMock<OpenAI.ChatCompletionCreateParamsNonStreaming>)
        .withResponse();
      expect(data.choices[0].message.content).toBe('Hello from the mock upstream.');
      expect(data.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 6, total_tokens: 17 });
      expect((data as unknown as { mock_extra: unknown }).mock_extra).toEqual({ kept: true });
      expect(request_id).toMatch(/^req_[0-9a-f]{32}$/);
      expect(response.headers.get('x-request-id')).toBe(request_id);

      const forwarded = upstream.requests.at(-1);
      expect(forwarded?.body['custom_vendor_field']).toEqual({ nested: [1, 2] });
      expect(forwarded?.headers['authorization']).toBe(`Bearer ${UPSTREAM_SECRET}`);

      const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
      expect(entry).toMatchObject({
        endpoint: 'chat.completions',
        status: 200,
        requestedModel: 'gpt-4o-mini',
        upstreamModel: 'gpt-4o-mini',
        stream: false,
        promptTokens: 11,
        completionTokens: 6,
        totalTokens: 17,
        usageSource: 'upstream',
        errorClass: null,
      });
      expect(entry.keyId).toBeTruthy();
      expect(entry.channelId).toBeTruthy();
    });

    it('streams chunks and hides the usage chunk the caller did not ask for', async () => {
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Hello' }],
        stream: true,
      });
      const chunks: OpenAI.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('Hello from the');
      expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
      // ...but the gateway asked the upstream for usage, and logged it
      expect(upstream.requests.at(-1)?.body['stream_options']).toEqual({ include_usage: true });
    });

    it('keeps the usage chunk when the caller asks for it', async () => {
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Hello' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const chunks: OpenAI.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks.at(-1)).toMatchObject({
        choices: [],
        usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 },
      });
    });

    it('forwards each chunk as it arrives: the first one reaches the caller while the upstream still holds the rest', async () => {
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Hello' }],
        stream: true,
        mock: { gate: 'first-chunk', chunks: 4 },
      } as WithMock<OpenAI.ChatCompletionCreateParamsStreaming>);
      const iterator = stream[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.value?.choices[0].delta.content).toBe('Hello');
      upstream.release('first-chunk');
      let rest = '';
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        rest += next.value.choices[0]?.delta?.content ?? '';
      }
      expect(rest).toBe(' from the mock');
    });

    it('records the time to first token and streamed usage in the log', async () => {
      const { data: stream, request_id } = await client.chat.completions
        .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true })
        .withResponse();
      for await (const _ of stream) void _;
      const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
      expect(entry).toMatchObject({
        stream: true,
        status: 200,
        promptTokens: 11,
        completionTokens: 3,
        usageSource: 'upstream',
      });
      expect(entry.ttftMs).not.toBeNull();
      expect(entry.ttftMs as number).toBeLessThanOrEqual(entry.latencyMs);
    });

    it('counts tokens with its own tokenizer when the upstream reports no usage', async () => {
      const { data, request_id } = await client.chat.completions
        .create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'Hello world' }],
          mock: { noUsage: true },
        } as WithMock<OpenAI.ChatCompletionCreateParamsNonStreaming>)
        .withResponse();
      expect(data.usage).toBeUndefined();
      const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
      // "Hello from the mock upstream." is 6 tokens in o200k_base; the prompt is 3 + (3 + 1 + 2)
      expect(entry).toMatchObject({ usageSource: 'tokenizer', completionTokens: 6, promptTokens: 9, totalTokens: 15 });

      const { data: stream, request_id: streamId } = await client.chat.completions
        .create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'Hello world' }],
          stream: true,
          mock: { noUsage: true },
        } as WithMock<OpenAI.ChatCompletionCreateParamsStreaming>)
        .withResponse();
      for await (const _ of stream) void _;
      const streamed = await waitForLogEntry(gateway.dataDir, streamId as string);
      expect(streamed).toMatchObject({ usageSource: 'tokenizer', promptTokens: 9, completionTokens: 3 });
    });

    it('cancels the upstream call when the caller disconnects mid-stream', async () => {
      const before = upstream.aborted;
      const controller = new AbortController();
      const stream = await client.chat.completions.create(
        {
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'Hello' }],
          stream: true,
          mock: { gate: 'never-released', chunks: 50 },
        } as WithMock<OpenAI.ChatCompletionCreateParamsStreaming>,
        { signal: controller.signal },
      );
      const iterator = stream[Symbol.asyncIterator]();
      await iterator.next();
      controller.abort();
      const deadline = Date.now() + 5000;
      while (upstream.aborted === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(upstream.aborted).toBe(before + 1);
    });
  });

  /** curl as a caller would run it (the status line and headers included in its output). */
  const curl = (flags: string[], path: string, body: object, headers: string[] = []) =>
    execFileAsync('curl', [
      ...flags,
      ...['-sS', '-m', '5', '-i', `${gateway.url}${path}`, '-d', JSON.stringify(body)],
      ...[`Authorization: Bearer ${KEY}`, 'content-type: application/json', ...headers].flatMap((h) => ['-H', h]),
    ]).then(({ stdout }) => stdout);

  // nginx speaks HTTP/1.0 to its upstreams unless told otherwise (proxy_http_version), as curl --http1.0 does.
  it.each([
    ['an OpenAI stream', '/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }],
    [
      'an Anthropic stream',
      '/v1/messages',
      { model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] },
    ],
  ])(
    'ends %s to an HTTP/1.0 client (no chunked encoding there: the close marks the end)',
    async (_name, path, body) => {
      const stdout = await curl(['--http1.0', '-N'], path, { ...body, stream: true }, [
        'anthropic-version: 2023-06-01',
      ]);
      expect(stdout).toMatch(/^HTTP\/1\.1 200/);
      expect(stdout.toLowerCase()).not.toContain('transfer-encoding: chunked');
      expect(stdout).toMatch(path === '/v1/messages' ? /event: message_stop/ : /data: \[DONE\]/);
    },
  );

  // Java's HttpClient asks for the same upgrade on every plain-http call; the gateway answers in HTTP/1.1.
  it('serves curl --http2 on plain http (an h2c upgrade request), streams and the admin API included', async () => {
    const http2 = (path: string, body: object) => curl(['--http2'], path, body);
    const messages = [{ role: 'user', content: 'hi' }];
    const json = await http2('/v1/chat/completions', { model: 'gpt-4o-mini', messages });
    expect(json).toMatch(/^HTTP\/1\.1 200/);
    expect(json).toContain('Hello from the mock upstream.');
    expect(await http2('/v1/chat/completions', { model: 'gpt-4o-mini', messages, stream: true })).toContain(
      'data: [DONE]',
    );
    const graphql = await http2('/graphql', { query: '{ __typename }' });
    expect(graphql).toMatch(/^HTTP\/1\.1 200/);
    expect(graphql).toContain('{"data":{"__typename":"Query"}}');
  });

  it('reuses upstream connections across requests (keep-alive pool)', async () => {
    const from = upstream.requests.length;
    for (let i = 0; i < 5; i++) {
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `n${i}` }] });
    }
    const ports = new Set(upstream.requests.slice(from).map((r) => r.remotePort));
    expect(ports.size).toBe(1);
  });

  it.each([
    ['x-api-key', { 'x-api-key': KEY }],
    ['Azure-style api-key', { 'api-key': KEY }],
  ])('accepts the key in the %s header', async (_name, headers) => {
    const response = await fetch(`${gateway.baseURL}/models`, { headers });
    expect(response.status).toBe(200);
  });

  it('serves legacy completions, streaming and not', async () => {
    const completion = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say hi' });
    expect(completion.choices[0].text).toBe('Hello from the mock upstream.');
    const stream = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say hi', stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe('Hello from the');
  });

  it('serves embeddings in the base64 encoding the SDK asks for by default', async () => {
    const result = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['alpha', 'beta'] });
    expect(upstream.requests.at(-1)?.body['encoding_format']).toBe('base64');
    expect(result.data.map((d) => d.embedding)).toEqual([
      [0.25, -0.5, 0.125],
      [1.25, -0.5, 0.125],
    ]);
    expect(result.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
  });

  it('hands the SDK base64 embeddings even when the upstream answers with floats', async () => {
    const result = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['alpha'],
      mock: { floatsOnly: true },
    } as WithMock<OpenAI.EmbeddingCreateParams>);
    expect(result.data[0].embedding).toEqual([0.25, -0.5, 0.125]);
  });

  describe('models', () => {
    it('lists only the models the key may use', async () => {
      const all = [];
      for await (const model of client.models.list()) all.push(model.id);
      expect(all).toEqual([
        'gpt-3.5-turbo-instruct',
        'gpt-4o-mini',
        'meta-llama/Llama-3.1-8B',
        'text-embedding-3-small',
        'unreachable-model',
        'wrong-key-model',
      ]);
      const limited = [];
      for await (const model of clientWith(LIMITED_KEY).models.list()) limited.push(model.id);
      expect(limited).toEqual(['text-embedding-3-small']);
    });

    it('retrieves one model and answers 404 for others', async () => {
      expect((await client.models.retrieve('meta-llama/Llama-3.1-8B')).id).toBe('meta-llama/Llama-3.1-8B');
      expect(await client.models.retrieve('gpt-4o-mini')).toMatchObject({
        id: 'gpt-4o-mini',
        object: 'model',
        owned_by: 'synapsehub',
      });
      expect((await client.models.retrieve('text-embedding-3-small')).owned_by).toBe('openai');
      const error = await apiError(clientWith(LIMITED_KEY).models.retrieve('gpt-4o-mini'));
      expect(error.status).toBe(404);
      expect(error.code).toBe('model_not_found');
      // The id is decoded once, as the SDK encoded it: a '%' in it is a '%'.
      const percent = await apiError(client.models.retrieve('gpt%4o'));
      expect(percent.status).toBe(404);
      expect(percent.message).toContain("The model 'gpt%4o' does not exist");
    });
  });

  describe('errors, in OpenAI format with a request id', () => {
    const chat = (c: OpenAI, model = 'gpt-4o-mini', mock?: Record<string, unknown>) =>
      c.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'x' }],
        ...(mock && { mock }),
      } as OpenAI.ChatCompletionCreateParamsNonStreaming);

    it.each([
      ['no key', '', 401, 'missing_api_key'],
      ['an unknown key', 'sk-unknown-0123456789abcdef', 401, 'invalid_api_key'],
      ['an expired key', EXPIRED_KEY, 401, 'expired_api_key'],
      ['a disabled key', DISABLED_KEY, 401, 'disabled_api_key'],
    ])('401 for %s', async (_what, key, status, code) => {
      const response = await fetch(`${gateway.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
      });
      expect(response.status).toBe(status);
      expect(response.headers.get('x-request-id')).toMatch(/^req_/);
      const body = await response.json();
      expect(body).toEqual({
        error: { message: expect.any(String), type: 'invalid_request_error', param: null, code },
      });
    });

    it('401 through the SDK is an AuthenticationError', async () => {
      const error = await apiError(chat(clientWith('sk-unknown-0123456789abcdef')));
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(error.requestID).toMatch(/^req_/);
    });

    it('403 when the key may not use the model', async () => {
      const error = await apiError(chat(clientWith(LIMITED_KEY)));
      expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect(error.code).toBe('model_not_allowed');
      expect(error.param).toBe('model');
    });

    it('404 model_not_found for an unknown model', async () => {
      const error = await apiError(chat(client, 'gpt-unknown'));
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error.code).toBe('model_not_found');
    });

    it.each([
      ['malformed JSON', 'application/json', '{"model": ', 'invalid_json'],
      ['an empty body', 'application/json', '', 'invalid_json'],
      ['a wrong content type', 'text/plain', 'model=gpt-4o-mini', 'invalid_content_type'],
      ['a form body', 'application/x-www-form-urlencoded', 'model=gpt-4o-mini', 'invalid_content_type'],
      ['a JSON array', 'application/json', '[1,2]', 'invalid_body'],
      ['no model', 'application/json', '{"messages":[{"role":"user","content":"x"}]}', 'missing_model'],
      ['no messages', 'application/json', '{"model":"gpt-4o-mini"}', 'missing_field'],
    ])('400 for %s', async (_what, contentType, body, code) => {
      const response = await fetch(`${gateway.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': contentType, authorization: `Bearer ${KEY}` },
        body,
      });
      expect(response.status).toBe(400);
      const requestId = response.headers.get('x-request-id') as string;
      expect(requestId).toMatch(/^req_/);
      expect(await waitForLogEntry(gateway.dataDir, requestId)).toMatchObject({ status: 400, errorClass: code });
      expect(((await response.json()) as { error: unknown }).error).toMatchObject({
        type: 'invalid_request_error',
        code,
      });
    });

    it('413 for a body over the limit, and the upstream never sees it', async () => {
      const calls = upstream.requests.length;
      const error = await apiError(
        client.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'x'.repeat(70_000) }],
        }),
      );
      expect(error.status).toBe(413);
      expect(error.code).toBe('request_too_large');
      expect(upstream.requests.length).toBe(calls);
      expect(await waitForLogEntry(gateway.dataDir, error.requestID as string)).toMatchObject({
        status: 413,
        endpoint: 'chat.completions',
        errorClass: 'request_too_large',
      });
      // Over the limit by three times (read and dropped before the answer): the 413 once, no retry by
      // the SDK, and the gateway ready for the next call. (An upload's case: more-endpoints.e2e-spec.ts.)
      let sent = 0;
      const counting = new OpenAI({
        apiKey: KEY,
        baseURL: gateway.baseURL,
        fetch: (url, init) => (sent++, fetch(url, init)),
      });
      const far = await apiError(
        counting.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'x'.repeat(200_000) }],
        }),
      );
      expect(far.status).toBe(413);
      expect(sent).toBe(1);
      await expect(chat(counting, 'gpt-4o-mini')).resolves.toBeDefined();
      expect(upstream.requests.length).toBe(calls + 1);
    });

    it('502 when the upstream is unreachable', async () => {
      const error = await apiError(chat(client, 'unreachable-model'));
      expect(error.status).toBe(502);
      expect(error.code).toBe('upstream_unreachable');
    });

    it('504 when the upstream does not answer in time', async () => {
      const error = await apiError(chat(client, 'gpt-4o-mini', { delayMs: 4000 }));
      expect(error.status).toBe(504);
      expect(error.code).toBe('upstream_timeout');
    });

    it('502 for an upstream 500, normalised into the same error object', async () => {
      const error = await apiError(chat(client, 'gpt-4o-mini', { status: 500 }));
      expect(error.status).toBe(502);
      expect(error.error).toEqual({
        message: expect.stringContaining('mock failure 500'),
        type: 'server_error',
        param: null,
        code: 'upstream_error',
      });
    });

    it('429 from the upstream keeps its Retry-After', async () => {
      const response = await fetch(`${gateway.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'x' }],
          mock: { status: 429, retryAfter: '7' },
        }),
      });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('7');
    });

    it('a rejected upstream key becomes 502, and no upstream secret shows in responses or logs', async () => {
      const error = await apiError(chat(client, 'wrong-key-model'));
      expect(error.status).toBe(502);
      expect(error.code).toBe('upstream_auth_failed');
      expect(JSON.stringify(error.error)).not.toContain('WRONG');
      await new Promise((r) => setTimeout(r, 200));
      expect(gateway.output()).not.toContain(UPSTREAM_SECRET);
      expect(gateway.output()).not.toContain('sk-upstream-WRONG');
      const entry = await waitForLogEntry(gateway.dataDir, error.requestID as string);
      expect(JSON.stringify(entry)).not.toContain('WRONG');
      expect(entry).toMatchObject({ status: 502, errorClass: 'upstream_auth_failed' });
    });

    it('answers unknown /v1 routes with an OpenAI 404', async () => {
      const response = await fetch(`${gateway.baseURL}/no-such-route`, { headers: { authorization: `Bearer ${KEY}` } });
      expect(response.status).toBe(404);
      expect(response.headers.get('x-request-id')).toMatch(/^req_/);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
    });

    it('answers paths Fastify cannot route (a malformed escape, a too long segment) in the same formats', async () => {
      const headers = { authorization: `Bearer ${KEY}` };
      const badEscape = await fetch(`${gateway.baseURL}/models/%E0%A4%A`, { headers });
      expect(badEscape.status).toBe(400);
      expect(badEscape.headers.get('x-request-id')).toMatch(/^req_/);
      expect(await badEscape.json()).toEqual({
        error: {
          message: 'The request path is not a valid URL: a percent-escape in it is malformed.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_path',
        },
      });
      const longSegment = await fetch(`${gateway.baseURL}/responses/${'r'.repeat(200)}`, { headers });
      expect(longSegment.status).toBe(414);
      expect(((await longSegment.json()) as { error: { code: string } }).error.code).toBe('uri_too_long');
      // Off /v1, Nest's JSON as every other error there.
      const admin = await fetch(`${gateway.url}/health/live%ZZ`);
      expect(await admin.json()).toEqual({
        statusCode: 400,
        error: 'invalid_path',
        message: 'The request path is not a valid URL: a percent-escape in it is malformed.',
      });
    });
  });
});
