import Anthropic from '@anthropic-ai/sdk';
import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { waitForLogEntry } from './support/request-log';
import { startToolUpstream, type ToolUpstream } from './support/tool-upstream';

const KEY = 'sk-anthropic-e2e-0123456789abcdef';
const LIMITED_KEY = 'sk-anthropic-limited-0123456789ab';
const RPM_KEY = 'sk-anthropic-rpm-0123456789abcdef';
const COUNT_KEY = 'sk-anthropic-count-0123456789abcd';

/** The Anthropic SDK's error of a call that must fail; anything else fails the test. */
async function apiError(promise: Promise<unknown>): Promise<InstanceType<typeof Anthropic.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Anthropic.APIError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** The smallest valid call, for the refusals. */
const TINY_CALL: Anthropic.MessageCreateParamsNonStreaming = {
  model: 'claude-via-openai',
  max_tokens: 8,
  messages: [{ role: 'user', content: 'x' }],
};

const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Current weather',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('Anthropic Messages API ingress (@anthropic-ai/sdk against the built gateway)', () => {
  let upstream: MockUpstream;
  let tools: ToolUpstream;
  let gateway: GatewayProcess;
  let client: Anthropic;
  let origin: string;

  beforeAll(async () => {
    upstream = await startMockUpstream();
    tools = await startToolUpstream();
    const config = `
channels:
  - { name: openai-mock, type: openai, baseUrl: ${upstream.url}, models: [claude-via-openai], timeouts: { firstByteMs: 1500 } }
  - { name: tool-mock, type: openai, baseUrl: ${tools.url}, models: [claude-tools] }
routes:
  - { name: claude-via-openai, retry: { attempts: 1 }, targets: [{ channel: openai-mock }] }
keys:
  - { name: ci, key: ${KEY}, models: ["*"] }
  - { name: limited, key: ${LIMITED_KEY}, models: ["other-*"] }
  - { name: rpm, key: ${RPM_KEY}, models: ["*"], limits: { rpm: 1 } }
  - { name: counting, key: ${COUNT_KEY}, models: ["*"], limits: { rpm: 2 } }
`;
    gateway = await startGateway({ config, env: { ROUTING_FAILURE_THRESHOLD: '1000' } });
    origin = gateway.baseURL.replace(/\/v1$/, '');
    client = new Anthropic({ apiKey: KEY, baseURL: origin, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    await tools?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  afterEach(() => upstream.setDefaults({}));

  it('answers messages.create, translating system, stop sequences and images for the OpenAI upstream', async () => {
    const { data, request_id } = await client.messages
      .create({
        model: 'claude-via-openai',
        max_tokens: 64,
        system: 'Answer briefly.',
        stop_sequences: ['END'],
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this picture?' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
              { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            ],
          },
        ],
      })
      .withResponse();
    expect(data).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'Hello from the mock upstream.' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 11, output_tokens: 6 },
    });
    expect(data.id).toMatch(/^msg_/);
    expect(upstream.requests.at(-1)?.body).toMatchObject({
      model: 'claude-via-openai',
      max_tokens: 64,
      stop: ['END'],
      messages: [
        { role: 'system', content: 'Answer briefly.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
    });
    const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
    expect(entry).toMatchObject({
      endpoint: 'chat.completions',
      ingressFormat: 'anthropic',
      status: 200,
      requestedModel: 'claude-via-openai',
      promptTokens: 11,
      completionTokens: 6,
      usageSource: 'upstream',
    });
  });

  it('accepts the key as x-api-key (curl, older SDKs) and requires anthropic-version', async () => {
    const body = JSON.stringify({
      model: 'claude-via-openai',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const ok = await fetch(`${origin}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body,
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { content: unknown }).content).toEqual([
      { type: 'text', text: 'Hello from the mock upstream.' },
    ]);
    const missing = await fetch(`${origin}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      body,
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
    });
  });

  it('streams text with messages.stream: the full event sequence and the usage', async () => {
    const stream = client.messages.stream({
      model: 'claude-via-openai',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    const events: string[] = [];
    stream.on('streamEvent', (event) => events.push(event.type));
    const message = await stream.finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from the' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 11, output_tokens: 3 });
    expect(events[0]).toBe('message_start');
    expect(events).toContain('content_block_start');
    expect(events).toContain('content_block_delta');
    expect(events.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(upstream.requests.at(-1)?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('translates tools both ways, non-streaming and streaming (input_json_delta)', async () => {
    const params = {
      model: 'claude-tools',
      max_tokens: 128,
      tools: [WEATHER_TOOL],
      tool_choice: { type: 'auto' as const },
      messages: [
        { role: 'user' as const, content: 'Weather in Oslo?' },
        {
          role: 'assistant' as const,
          content: [{ type: 'tool_use' as const, id: 'toolu_prev', name: 'get_weather', input: { city: 'Bergen' } }],
        },
        {
          role: 'user' as const,
          content: [
            { type: 'tool_result' as const, tool_use_id: 'toolu_prev', content: '4°C' },
            { type: 'text' as const, text: 'Now Oslo.' },
          ],
        },
      ],
    };
    const created = await client.messages.create(params);
    expect(created.content).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'call_w1', name: 'get_weather', input: { city: 'Oslo' } },
    ]);
    expect(created.stop_reason).toBe('tool_use');
    expect(created.usage).toMatchObject({ input_tokens: 40, output_tokens: 12 });
    expect(tools.bodies.at(-1)).toMatchObject({
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: WEATHER_TOOL.input_schema } }],
      tool_choice: 'auto',
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'toolu_prev', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Bergen"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_prev', content: '4°C' },
        { role: 'user', content: 'Now Oslo.' },
      ],
    });

    const stream = client.messages.stream(params);
    const partials: string[] = [];
    stream.on('inputJson', (partial) => partials.push(partial));
    const streamed = await stream.finalMessage();
    expect(streamed.content).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'call_w1', name: 'get_weather', input: { city: 'Oslo' } },
    ]);
    expect(partials).toEqual(['{"city":', '"Oslo"}']);
    expect(streamed.stop_reason).toBe('tool_use');
    expect(streamed.usage).toMatchObject({ input_tokens: 40, output_tokens: 12 });
  });

  it('counts tokens locally with messages.countTokens, for models the key may use', async () => {
    const counted = await client.messages.countTokens({
      model: 'claude-via-openai',
      system: 'Answer briefly.',
      messages: [{ role: 'user', content: 'Hello there, how are you today?' }],
    });
    expect(counted.input_tokens).toBeGreaterThan(5);
    expect(counted.input_tokens).toBeLessThan(40);
    const limited = new Anthropic({ apiKey: LIMITED_KEY, baseURL: origin, maxRetries: 0 });
    const refused = await apiError(
      limited.messages.countTokens({ model: 'claude-via-openai', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(refused.status).toBe(403);
    expect(refused.error).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
  });

  it("holds token counts to the key's requests per minute, counted apart from its calls", async () => {
    const counting = new Anthropic({ apiKey: COUNT_KEY, baseURL: origin, maxRetries: 0 });
    const count = () =>
      counting.messages.countTokens({ model: 'claude-via-openai', messages: [{ role: 'user', content: 'hi' }] });
    await count();
    await count();
    const refused = await apiError(count());
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError);
    expect(refused.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(Number(refused.headers?.get('retry-after'))).toBeGreaterThan(0);
    // Counting does not use up the calls: a key that counts before each call keeps its rate.
    expect((await counting.messages.create(TINY_CALL)).type).toBe('message');
  });

  it('refuses messages.create for a model the key may not use, and nothing reaches the upstream', async () => {
    const before = upstream.requests.length;
    const limited = new Anthropic({ apiKey: LIMITED_KEY, baseURL: origin, maxRetries: 0 });
    const refused = await apiError(limited.messages.create(TINY_CALL));
    expect(refused).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(refused.error).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
    const streamed = await apiError(limited.messages.stream(TINY_CALL).finalMessage());
    expect(streamed.status).toBe(403);
    expect(upstream.requests.length).toBe(before);
  });

  it("holds the key's requests-per-minute limit: rate_limit_error with retry-after, in Anthropic's shape", async () => {
    const limited = new Anthropic({ apiKey: RPM_KEY, baseURL: origin, maxRetries: 0 });
    const ask = () => limited.messages.create(TINY_CALL);
    expect((await ask()).type).toBe('message');
    const before = upstream.requests.length;
    const refused = await apiError(ask());
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError);
    expect(refused.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(Number(refused.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(upstream.requests.length).toBe(before);
  });

  it('refuses a bad key with 401 authentication_error', async () => {
    const stranger = new Anthropic({ apiKey: 'sk-not-a-key-0000000000000000', baseURL: origin, maxRetries: 0 });
    const error = await apiError(stranger.messages.create(TINY_CALL));
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('refuses a call without max_tokens with 400 invalid_request_error, and an unknown model with 404', async () => {
    const error = await apiError(
      client.messages.create({ model: 'claude-via-openai', messages: [{ role: 'user', content: 'x' }] } as never),
    );
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.error).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
    const unknown = await apiError(
      client.messages.create({ model: 'no-such-model', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
    expect(unknown.error).toMatchObject({ error: { type: 'not_found_error' } });
  });

  it('passes an upstream 429 on as rate_limit_error with its retry-after', async () => {
    upstream.setDefaults({ status: 429, retryAfter: '7' });
    const error = await apiError(client.messages.create(TINY_CALL));
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.headers?.get('retry-after')).toBe('7');
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('answers an upstream 500 with api_error', async () => {
    upstream.setDefaults({ status: 500 });
    const error = await apiError(client.messages.create(TINY_CALL));
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(error.status).toBe(500);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'api_error' } });
  });

  it('ends a stream the upstream resets midway with an error event, which the SDK throws', async () => {
    upstream.setDefaults({ reset: 'mid', chunks: 4 });
    const stream = client.messages.stream({
      model: 'claude-via-openai',
      max_tokens: 8,
      messages: [{ role: 'user', content: 'x' }],
    });
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    await expect(stream.finalMessage()).rejects.toThrow(/broke off the stream/);
    expect(texts.join('')).toBe('Hello from');
  });
});
