import { startMockGemini, type MockGemini } from '@synapse/testing';
import OpenAI from 'openai';
import { accessToken, graphql } from './support/admin-session';
import { apiError } from './support/openai-calls';
import type { GatewayProcess } from './support/gateway-process';
import { waitForLogEntry } from './support/request-log';
import { startUpstreamGateway, type UpstreamGateway } from './support/upstream-gateway';
import { WEATHER_TOOL } from './support/weather-tool';

const KEY = 'sk-gemini-up-0123456789abcdef';
const CHANNEL_KEY = 'AIza-channel-SECRET-91b0';

describe('gemini channel type (openai SDK against the built gateway, a mock speaking generateContent)', () => {
  let gemini: MockGemini;
  let gateway: GatewayProcess;
  let client: OpenAI;
  let setup: UpstreamGateway<MockGemini>;

  beforeAll(async () => {
    setup = await startUpstreamGateway({
      startUpstream: () => startMockGemini({ apiKey: CHANNEL_KEY }),
      key: KEY,
      channelsAndRoutes: (url) => `
channels:
  - { name: google, type: gemini, baseUrl: ${url}, apiKey: ${CHANNEL_KEY}, models: [flash, embed] }
  - { name: google-old-key, type: gemini, baseUrl: ${url}, apiKey: AIza-revoked-key-0000, models: [flash-old] }
routes:
  - { name: flash, retry: { attempts: 1 }, targets: [{ channel: google, model: gemini-2.5-flash }] }
  - { name: embed, retry: { attempts: 1 }, targets: [{ channel: google, model: gemini-embedding-001 }] }
  - name: old-key-first
    strategy: priority
    targets:
      - { channel: google-old-key, model: gemini-2.5-flash, priority: 1 }
      - { channel: google, model: gemini-2.5-flash }
  - { name: old-key-only, retry: { attempts: 1 }, targets: [{ channel: google-old-key, model: gemini-2.5-flash }] }
`,
    });
    ({ upstream: gemini, gateway, client } = setup);
  });

  afterAll(() => setup?.stop());

  afterEach(() => gemini.setDefaults({}));

  it('chats without streaming: systemInstruction, inlineData, tools and generationConfig go out, usage is logged', async () => {
    const { data, request_id } = await client.chat.completions
      .create({
        model: 'flash',
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
        temperature: 0.2,
        max_tokens: 80,
      })
      .withResponse();
    expect(data.choices[0]).toMatchObject({
      message: {
        content: 'Hello from Gemini.',
        tool_calls: [
          { id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Bergen"}' } },
        ],
      },
      finish_reason: 'tool_calls',
    });
    expect(data.usage).toMatchObject({ prompt_tokens: 31, completion_tokens: 11, total_tokens: 42 });
    const sent = gemini.requests.at(-1);
    expect(sent?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent?.headers['x-goog-api-key']).toBe(CHANNEL_KEY);
    expect(sent?.body).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [
        {
          role: 'user',
          parts: [{ text: 'Weather here?' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }],
        },
      ],
      generationConfig: { temperature: 0.2, maxOutputTokens: 80 },
      tools: [
        {
          functionDeclarations: [
            {
              name: 'get_weather',
              description: 'Current weather',
              parametersJsonSchema: WEATHER_TOOL.function.parameters,
            },
          ],
        },
      ],
    });
    const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
    expect(entry).toMatchObject({
      status: 200,
      requestedModel: 'flash',
      upstreamModel: 'gemini-2.5-flash',
      promptTokens: 31,
      completionTokens: 11,
      cachedTokens: 6,
      usageSource: 'upstream',
    });
  });

  it('streams with tools over streamGenerateContent?alt=sse, usage when asked and always logged', async () => {
    const { data: stream, request_id } = await client.chat.completions
      .create({
        model: 'flash',
        messages: [{ role: 'user', content: 'Weather in Bergen?' }],
        tools: [WEATHER_TOOL],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(gemini.requests.at(-1)?.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('Hello from Gemini.');
    const calls = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    expect(calls).toMatchObject([
      { index: 0, id: 'call_0', function: { name: 'get_weather', arguments: '{"city":"Bergen"}' } },
    ]);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 31, completion_tokens: 11, total_tokens: 42 },
    });
    const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
    expect(entry).toMatchObject({ stream: true, promptTokens: 31, completionTokens: 11, usageSource: 'upstream' });
  });

  it('passes a 400 on with its message', async () => {
    gemini.setDefaults({ status: 400 });
    const error = await apiError(
      client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error.status).toBe(400);
    expect(error.message).toContain('mock failure 400');
  });

  it('a 401 from Google becomes 502 upstream_auth_failed', async () => {
    gemini.setDefaults({ status: 401 });
    const error = await apiError(
      client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_auth_failed');
    expect(JSON.stringify(error.error)).not.toContain(CHANNEL_KEY);
  });

  it("takes Google's 400 API_KEY_INVALID for the channel's key refused: 502 upstream_auth_failed, tried elsewhere", async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'old-key-first', messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
    // The channel with the revoked key failed, and counts as failed; the other one answered.
    expect(response.headers.get('x-synapse-attempts')).toBe('2');
    expect(data.choices[0].message.content).toBe('Hello from Gemini.');
    const error = await apiError(
      client.chat.completions.create({ model: 'old-key-only', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect([error.status, error.code]).toEqual([502, 'upstream_auth_failed']);
    expect(error.message).toContain('API key not valid');
    expect(JSON.stringify(error.error)).not.toContain('AIza-revoked-key-0000');
  });

  it('fails the health check of a channel whose key Google refuses with its 400, and says it is the key', async () => {
    const token = await accessToken(gateway.url, 'admin@synapsehub.local', 'e2e-admin-password');
    const channels = (await graphql(gateway.url, '{ channels { id name } }', token)).data?.['channels'] as {
      id: string;
      name: string;
    }[];
    const test = async (name: string) => {
      const id = channels.find((channel) => channel.name === name)?.id;
      const answer = await graphql(
        gateway.url,
        'mutation($id: ID!) { testChannel(id: $id) { ok error detail } }',
        token,
        {
          id,
        },
      );
      return answer.data?.['testChannel'];
    };
    expect(await test('google')).toEqual({ ok: true, error: null, detail: null });
    expect(await test('google-old-key')).toEqual({
      ok: false,
      error: 'status_400',
      detail: "the upstream refused the channel's key (400): check its API key",
    });
  });

  it("turns a 429's RetryInfo into retry-after, and answers a 500 with 502", async () => {
    gemini.setDefaults({ status: 429, retryDelay: '7s' });
    const limited = await apiError(
      client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(limited.status).toBe(429);
    expect(limited.headers?.get('retry-after')).toBe('7');

    gemini.setDefaults({ status: 500 });
    const failed = await apiError(
      client.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(failed.status).toBe(502);
    expect(failed.code).toBe('upstream_error');
  });

  it('tells the caller in the stream when the upstream resets it midway', async () => {
    gemini.setDefaults({ reset: 'mid' });
    const stream = await client.chat.completions.create({
      model: 'flash',
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

  it('embeds with embeddings.create over batchEmbedContents, in base64 (the SDK default) and floats', async () => {
    const { data, request_id } = await client.embeddings
      .create({ model: 'embed', input: ['alpha', 'beta'], dimensions: 4 })
      .withResponse();
    // The SDK asked for base64 and decoded it: the gateway encoded Gemini's floats as float32.
    expect(data.data.map((d) => d.embedding)).toEqual([
      [0.5, -0.25, -0.5, -0.75],
      [1.5, -0.25, -0.5, -0.75],
    ]);
    expect(data.data.map((d) => d.index)).toEqual([0, 1]);
    expect(data.model).toBe('gemini-embedding-001');
    const sent = gemini.requests.at(-1);
    expect(sent?.path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(sent?.headers['x-goog-api-key']).toBe(CHANNEL_KEY);
    expect(sent?.body).toEqual({
      requests: [
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'alpha' }] }, outputDimensionality: 4 },
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'beta' }] }, outputDimensionality: 4 },
      ],
    });
    // Gemini reports no usage for embeddings: the gateway counts the input itself, and says so.
    const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
    expect(entry).toMatchObject({ endpoint: 'embeddings', status: 200, usageSource: 'tokenizer', completionTokens: 0 });
    expect(entry.promptTokens).toBeGreaterThan(0);

    const floats = await client.embeddings.create({ model: 'embed', input: 'one', encoding_format: 'float' });
    expect(floats.data).toEqual([{ object: 'embedding', index: 0, embedding: [0.5, -0.25, -0.5] }]);
  });

  it('refuses token-array embeddings input with a 400 before Gemini, and passes Gemini errors on', async () => {
    const before = gemini.requests.length;
    const refused = await apiError(client.embeddings.create({ model: 'embed', input: [[1, 2, 3]] }));
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect(refused.param).toBe('input');
    expect(refused.message).toMatch(/gemini channel embeds text only/);
    expect(gemini.requests.length).toBe(before);

    gemini.setDefaults({ status: 400 });
    const failed = await apiError(client.embeddings.create({ model: 'embed', input: 'x' }));
    expect(failed.status).toBe(400);
    expect(failed.message).toContain('mock failure 400');
    gemini.setDefaults({ status: 429, retryDelay: '3s' });
    const limited = await apiError(client.embeddings.create({ model: 'embed', input: 'x' }));
    expect(limited.headers?.get('retry-after')).toBe('3');
  });
});
