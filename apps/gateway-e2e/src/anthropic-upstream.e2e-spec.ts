import Anthropic from '@anthropic-ai/sdk';
import { startMockAnthropic, type MockAnthropic } from '@synapse/testing';
import OpenAI from 'openai';
import { apiError } from './support/openai-calls';
import type { GatewayProcess } from './support/gateway-process';
import { waitForLogEntry } from './support/request-log';
import { startUpstreamGateway, type UpstreamGateway } from './support/upstream-gateway';
import { WEATHER_TOOL } from './support/weather-tool';

const KEY = 'sk-anthropic-up-0123456789abcdef';
const CHANNEL_KEY = 'sk-ant-channel-SECRET-5b2e';

describe('anthropic channel type (openai SDK against the built gateway, a mock speaking the Messages API)', () => {
  let anthropic: MockAnthropic;
  let gateway: GatewayProcess;
  let client: OpenAI;
  let setup: UpstreamGateway<MockAnthropic>;

  beforeAll(async () => {
    setup = await startUpstreamGateway({
      startUpstream: () => startMockAnthropic({ apiKey: CHANNEL_KEY }),
      key: KEY,
      channelsAndRoutes: (url) => `
channels:
  - { name: claude, type: anthropic, baseUrl: ${url}, apiKey: ${CHANNEL_KEY}, models: [claude-mock] }
  - { name: claude-wrong-key, type: anthropic, baseUrl: ${url}, apiKey: sk-ant-WRONG-00000000, models: [claude-wrong] }
routes:
  - { name: claude-mock, retry: { attempts: 1 }, targets: [{ channel: claude }] }
  - { name: claude-retried, retry: { attempts: 2 }, targets: [{ channel: claude, model: claude-mock }] }
`,
    });
    ({ upstream: anthropic, gateway, client } = setup);
  });

  afterAll(() => setup?.stop());

  afterEach(() => anthropic.setDefaults({}));

  it('chats without streaming: system, images and tool history go out as Messages, usage comes back and is logged', async () => {
    const { data, request_id } = await client.chat.completions
      .create({
        model: 'claude-mock',
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Weather in this picture?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            ],
          },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '4°C' },
        ],
        tools: [WEATHER_TOOL],
        tool_choice: 'auto',
        max_tokens: 100,
      })
      .withResponse();
    expect(data.choices[0]).toMatchObject({
      message: {
        role: 'assistant',
        content: 'Hello from Claude.',
        tool_calls: [
          { id: 'toolu_mock1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
      finish_reason: 'tool_calls',
    });
    expect(data.usage).toMatchObject({ prompt_tokens: 25, completion_tokens: 9, total_tokens: 34 });

    const sent = anthropic.requests.at(-1);
    expect(sent?.path).toBe('/v1/messages');
    expect(sent?.headers['x-api-key']).toBe(CHANNEL_KEY);
    expect(sent?.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent?.headers['authorization']).toBeUndefined();
    expect(sent?.body).toEqual({
      model: 'claude-mock',
      system: 'Be brief.',
      max_tokens: 100,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in this picture?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Oslo' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '4°C' }] },
      ],
      tools: [{ name: 'get_weather', description: 'Current weather', input_schema: WEATHER_TOOL.function.parameters }],
      tool_choice: { type: 'auto' },
    });

    const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
    expect(entry).toMatchObject({
      status: 200,
      ingressFormat: null,
      requestedModel: 'claude-mock',
      upstreamModel: 'claude-mock',
      promptTokens: 25,
      completionTokens: 9,
      totalTokens: 34,
      cachedTokens: 4,
      usageSource: 'upstream',
    });
  });

  it('streams with tools: Anthropic events become OpenAI chunks, usage only when asked but always logged', async () => {
    const { data: stream, request_id } = await client.chat.completions
      .create({
        model: 'claude-mock',
        messages: [{ role: 'user', content: 'Weather in Bergen?' }],
        tools: [WEATHER_TOOL],
        stream: true,
      })
      .withResponse();
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('Hello from Claude.');
    const args = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    expect(args[0]).toMatchObject({ index: 0, id: 'toolu_mock2', function: { name: 'get_weather' } });
    expect(args.map((a) => a.function?.arguments ?? '').join('')).toBe('{"city": "Bergen"}');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    expect(anthropic.requests.at(-1)?.body).toMatchObject({ stream: true, max_tokens: 4096 });
    expect(anthropic.requests.at(-1)?.body['stream_options']).toBeUndefined();
    const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
    expect(entry).toMatchObject({ stream: true, promptTokens: 25, completionTokens: 9, usageSource: 'upstream' });

    const withUsage = await client.chat.completions.create({
      model: 'claude-mock',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const last: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of withUsage) last.push(chunk);
    expect(last.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 25, completion_tokens: 9, total_tokens: 34 },
    });
  });

  it('passes a 400 on with its message', async () => {
    anthropic.setDefaults({ status: 400 });
    const error = await apiError(
      client.chat.completions.create({ model: 'claude-mock', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ message: 'mock failure 400', type: 'invalid_request_error' });
  });

  it('a rejected channel key (401) becomes 502 upstream_auth_failed, without the key', async () => {
    const error = await apiError(
      client.chat.completions.create({ model: 'claude-wrong', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_auth_failed');
    expect(JSON.stringify(error.error)).not.toContain('WRONG');
  });

  it('keeps retry-after on a 429', async () => {
    anthropic.setDefaults({ status: 429, retryAfter: '9' });
    const error = await apiError(
      client.chat.completions.create({ model: 'claude-mock', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error.status).toBe(429);
    expect(error.headers?.get('retry-after')).toBe('9');
    expect(error.error).toMatchObject({ type: 'rate_limit_error' });
  });

  it('answers a 500 with 502, and retries a 529 overloaded as a server failure', async () => {
    anthropic.setDefaults({ status: 500 });
    const error = await apiError(
      client.chat.completions.create({ model: 'claude-mock', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_error');

    anthropic.setDefaults({ status: 529 });
    const before = anthropic.requests.length;
    const overloaded = await apiError(
      client.chat.completions.create({ model: 'claude-retried', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(overloaded.status).toBe(502);
    expect(overloaded.message).toContain('status 529');
    expect(anthropic.requests.length - before).toBe(2);
  });

  it('tells the caller in the stream when the upstream resets it midway', async () => {
    anthropic.setDefaults({ reset: 'mid' });
    const stream = await client.chat.completions.create({
      model: 'claude-mock',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const texts: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) texts.push(chunk.choices[0]?.delta?.content ?? '');
      })(),
    ).rejects.toThrow();
    expect(texts.join('')).toBe('Hello');
  });

  it("passes an Anthropic SDK caller's request and answer through unchanged: thinking, signatures, cache_control, betas", async () => {
    const claude = new Anthropic({
      apiKey: KEY,
      baseURL: gateway.baseURL.replace(/\/v1$/, ''),
      maxRetries: 0,
      defaultHeaders: { 'anthropic-beta': 'interleaved-thinking-2025-05-14' },
    });
    const request = {
      model: 'claude-retried',
      max_tokens: 2048,
      thinking: { type: 'enabled' as const, budget_tokens: 1024 },
      system: [{ type: 'text' as const, text: 'Be brief.', cache_control: { type: 'ephemeral' as const } }],
      messages: [{ role: 'user' as const, content: 'Hi' }],
    };
    const { data: message, request_id } = await claude.messages.create(request).withResponse();
    // The route's model replaces the caller's; everything else goes as the caller wrote it.
    expect(anthropic.requests.at(-1)?.body).toEqual({ ...request, model: 'claude-mock' });
    expect(anthropic.requests.at(-1)?.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');
    expect(message).toEqual({
      id: 'msg_mock01',
      type: 'message',
      role: 'assistant',
      model: 'claude-mock',
      content: [
        { type: 'thinking', thinking: 'The user greets me.', signature: 'sig-mock-1' },
        { type: 'text', text: 'Hello from Claude.' },
      ],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 21, output_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 4 },
    });
    expect(await waitForLogEntry(gateway.dataDir, String(request_id))).toMatchObject({
      ingressFormat: 'anthropic',
      requestedModel: 'claude-retried',
      upstreamModel: 'claude-mock',
      promptTokens: 25,
      completionTokens: 9,
      cachedTokens: 4,
    });

    const stream = claude.messages.stream(request);
    const deltas: string[] = [];
    stream.on('streamEvent', (event) => {
      if (event.type === 'content_block_delta') deltas.push(event.delta.type);
    });
    const streamed = await stream.finalMessage();
    expect(deltas).toEqual(['thinking_delta', 'signature_delta', 'text_delta', 'text_delta']);
    expect(streamed.content).toEqual([
      { type: 'thinking', thinking: 'The user greets me.', signature: 'sig-mock-2' },
      { type: 'text', text: 'Hello from Claude.' },
    ]);
    const streamedId = (await stream.withResponse()).response.headers.get('x-request-id');
    expect(await waitForLogEntry(gateway.dataDir, String(streamedId))).toMatchObject({
      stream: true,
      promptTokens: 25,
      completionTokens: 9,
    });
  });

  it('serves an Anthropic SDK caller through the anthropic channel, and forwards count_tokens to it', async () => {
    const claude = new Anthropic({ apiKey: KEY, baseURL: gateway.baseURL.replace(/\/v1$/, ''), maxRetries: 0 });
    const message = await claude.messages.create({
      model: 'claude-mock',
      max_tokens: 64,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message).toMatchObject({
      content: [{ type: 'text', text: 'Hello from Claude.' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 21, output_tokens: 9, cache_read_input_tokens: 4 },
    });
    expect(anthropic.requests.at(-1)?.body).toMatchObject({ system: 'Be brief.', max_tokens: 64 });

    const streamed = await claude.messages
      .stream({ model: 'claude-mock', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] })
      .finalMessage();
    expect(streamed.content).toEqual([{ type: 'text', text: 'Hello from Claude.' }]);
    expect(streamed.usage).toMatchObject({ input_tokens: 21, output_tokens: 9 });

    const counted = await claude.messages.countTokens({
      model: 'claude-retried',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(counted.input_tokens).toBe(77);
    expect(anthropic.requests.at(-1)).toMatchObject({
      path: '/v1/messages/count_tokens',
      body: { model: 'claude-mock', messages: [{ role: 'user', content: 'Hi' }] },
    });
  });
});
