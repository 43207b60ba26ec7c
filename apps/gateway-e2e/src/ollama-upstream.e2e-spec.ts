import { OLLAMA_EMBED_TOKENS_PER_INPUT, startMockOllama, type MockOllama } from '@synapse/testing';
import OpenAI from 'openai';
import { apiError } from './support/openai-calls';
import type { GatewayProcess } from './support/gateway-process';
import { waitForLogEntry } from './support/request-log';
import { startUpstreamGateway, type UpstreamGateway } from './support/upstream-gateway';
import { WEATHER_TOOL } from './support/weather-tool';

const KEY = 'sk-ollama-up-0123456789abcdef';
const CHANNEL_KEY = 'ollama-proxy-SECRET-3f9a';

describe('ollama channel type (openai SDK against the built gateway, a mock speaking /api/chat with NDJSON)', () => {
  let ollama: MockOllama;
  let gateway: GatewayProcess;
  let client: OpenAI;
  let setup: UpstreamGateway<MockOllama>;

  beforeAll(async () => {
    setup = await startUpstreamGateway({
      startUpstream: () => startMockOllama({ apiKey: CHANNEL_KEY }),
      key: KEY,
      channelsAndRoutes: (url) => `
channels:
  - { name: local, type: ollama, baseUrl: ${url}, apiKey: ${CHANNEL_KEY}, models: [llama, minilm] }
  - { name: local-wrong-key, type: ollama, baseUrl: ${url}, apiKey: ollama-WRONG-000000, models: [llama-wrong] }
routes:
  - { name: llama, retry: { attempts: 1 }, targets: [{ channel: local, model: "llama3.2:latest" }] }
  - { name: minilm, retry: { attempts: 1 }, targets: [{ channel: local, model: "all-minilm" }] }
  - { name: llama-wrong, retry: { attempts: 1 }, targets: [{ channel: local-wrong-key, model: "llama3.2:latest" }] }
`,
    });
    ({ upstream: ollama, gateway, client } = setup);
  });

  afterAll(() => setup?.stop());

  afterEach(() => ollama.setDefaults({}));

  it('chats without streaming: messages, images, tools and options go out natively, usage is logged', async () => {
    const { data, request_id } = await client.chat.completions
      .create({
        model: 'llama',
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Weather here?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            ],
          },
        ],
        tools: [WEATHER_TOOL],
        temperature: 0.1,
        max_tokens: 64,
      })
      .withResponse();
    expect(data.choices[0]).toMatchObject({
      message: {
        role: 'assistant',
        content: 'Hello from Ollama.',
        tool_calls: [
          { id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Bergen"}' } },
        ],
      },
      finish_reason: 'tool_calls',
    });
    expect(data.usage).toMatchObject({ prompt_tokens: 26, completion_tokens: 12, total_tokens: 38 });
    const sent = ollama.requests.at(-1);
    expect(sent?.path).toBe('/api/chat');
    expect(sent?.headers['authorization']).toBe(`Bearer ${CHANNEL_KEY}`);
    expect(sent?.body).toEqual({
      model: 'llama3.2:latest',
      stream: false,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather here?', images: ['iVBORw0KGgo='] },
      ],
      tools: [WEATHER_TOOL],
      options: { temperature: 0.1, num_predict: 64 },
    });
    const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
    expect(entry).toMatchObject({
      status: 200,
      requestedModel: 'llama',
      upstreamModel: 'llama3.2:latest',
      promptTokens: 26,
      completionTokens: 12,
      usageSource: 'upstream',
    });
  });

  it('streams with tools: NDJSON lines become OpenAI chunks, usage when asked and always logged', async () => {
    const { data: stream, request_id } = await client.chat.completions
      .create({
        model: 'llama',
        messages: [{ role: 'user', content: 'Weather in Bergen?' }],
        tools: [WEATHER_TOOL],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('Hello from Ollama.');
    const calls = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    expect(calls).toMatchObject([
      { index: 0, id: 'call_0', function: { name: 'get_weather', arguments: '{"city":"Bergen"}' } },
    ]);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 26, completion_tokens: 12, total_tokens: 38 },
    });
    expect(ollama.requests.at(-1)?.body).toMatchObject({ stream: true });
    const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
    expect(entry).toMatchObject({ stream: true, promptTokens: 26, completionTokens: 12, usageSource: 'upstream' });
  });

  it('refuses an image URL it cannot send with a 400, before the upstream', async () => {
    const before = ollama.requests.length;
    const error = await apiError(
      client.chat.completions.create({
        model: 'llama',
        messages: [
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] },
        ],
      }),
    );
    expect(error.status).toBe(400);
    expect(error.message).toContain('base64 data URLs');
    expect(ollama.requests.length).toBe(before);
  });

  it('passes a 400 on with its message', async () => {
    ollama.setDefaults({ status: 400 });
    const error = await apiError(
      client.chat.completions.create({ model: 'llama', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error.status).toBe(400);
    expect(error.message).toContain('mock failure 400');
  });

  it('a rejected channel key (401) becomes 502 upstream_auth_failed, without the key', async () => {
    const error = await apiError(
      client.chat.completions.create({ model: 'llama-wrong', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_auth_failed');
    expect(JSON.stringify(error.error)).not.toContain('WRONG');
  });

  it('keeps retry-after on a 429, and answers a 500 with 502', async () => {
    ollama.setDefaults({ status: 429, retryAfter: '5' });
    const limited = await apiError(
      client.chat.completions.create({ model: 'llama', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(limited.status).toBe(429);
    expect(limited.headers?.get('retry-after')).toBe('5');

    ollama.setDefaults({ status: 500 });
    const failed = await apiError(
      client.chat.completions.create({ model: 'llama', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(failed.status).toBe(502);
    expect(failed.code).toBe('upstream_error');
  });

  it('tells the caller in the stream when the upstream resets it midway, or sends an error line', async () => {
    for (const directives of [{ reset: 'mid' as const }, { errorLine: 'model runner crashed' }]) {
      ollama.setDefaults(directives);
      const stream = await client.chat.completions.create({
        model: 'llama',
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
    }
  });

  it('embeds with embeddings.create over /api/embed: base64 for the SDK, floats when asked, usage from prompt_eval_count', async () => {
    const { data, request_id } = await client.embeddings
      .create({ model: 'minilm', input: ['alpha', 'beta'] })
      .withResponse();
    expect(data.data.map((d) => d.embedding)).toEqual([
      [0.125, 0.5, 1],
      [1.125, 0.5, 1],
    ]);
    expect(data.usage).toEqual({
      prompt_tokens: 2 * OLLAMA_EMBED_TOKENS_PER_INPUT,
      total_tokens: 2 * OLLAMA_EMBED_TOKENS_PER_INPUT,
    });
    const sent = ollama.requests.at(-1);
    expect(sent?.path).toBe('/api/embed');
    expect(sent?.headers['authorization']).toBe(`Bearer ${CHANNEL_KEY}`);
    expect(sent?.body).toEqual({ model: 'all-minilm', input: ['alpha', 'beta'] });
    const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
    expect(entry).toMatchObject({
      endpoint: 'embeddings',
      status: 200,
      usageSource: 'upstream',
      promptTokens: 2 * OLLAMA_EMBED_TOKENS_PER_INPUT,
    });

    const floats = await client.embeddings.create({
      model: 'minilm',
      input: 'one',
      encoding_format: 'float',
      dimensions: 2,
    });
    expect(floats.data).toEqual([{ object: 'embedding', index: 0, embedding: [0.125, 0.5] }]);
    expect(ollama.requests.at(-1)?.body).toEqual({ model: 'all-minilm', input: 'one', dimensions: 2 });
  });

  it('refuses token-array embeddings input with a 400 before Ollama, and maps its errors', async () => {
    const before = ollama.requests.length;
    const refused = await apiError(client.embeddings.create({ model: 'minilm', input: [101, 102] }));
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect(refused.message).toMatch(/ollama channel embeds text only/);
    expect(ollama.requests.length).toBe(before);

    ollama.setDefaults({ status: 500 });
    const failed = await apiError(client.embeddings.create({ model: 'minilm', input: 'x' }));
    expect(failed.status).toBe(502);
    expect(failed.code).toBe('upstream_error');
  });
});
