import { startMockAzure, type MockAzure } from '@synapse/testing';
import OpenAI from 'openai';
import { apiError } from './support/openai-calls';
import type { GatewayProcess } from './support/gateway-process';
import { waitForLogEntry } from './support/request-log';
import { startUpstreamGateway, type UpstreamGateway } from './support/upstream-gateway';
import { WEATHER_TOOL } from './support/weather-tool';

const KEY = 'sk-azure-up-0123456789abcdef';
const CHANNEL_KEY = 'azure-channel-SECRET-7c1d';

describe('azure channel type (openai SDK against the built gateway, a mock with Azure OpenAI routing and auth)', () => {
  let azure: MockAzure;
  let gateway: GatewayProcess;
  let client: OpenAI;
  let setup: UpstreamGateway<MockAzure>;

  beforeAll(async () => {
    setup = await startUpstreamGateway({
      startUpstream: () => startMockAzure({ apiKey: CHANNEL_KEY, deployments: ['gpt4o-prod', 'emb-prod'] }),
      key: KEY,
      channelsAndRoutes: (url) => `
channels:
  - { name: az, type: azure, baseUrl: ${url}, apiKey: ${CHANNEL_KEY}, models: [gpt-4o, text-embedding-3-small] }
  - { name: az-preview, type: azure, baseUrl: "${url}?api-version=2025-01-01-preview", apiKey: ${CHANNEL_KEY}, models: [gpt-4o-preview] }
  - { name: az-wrong-key, type: azure, baseUrl: ${url}, apiKey: azure-WRONG-0000000, models: [gpt-4o-wrong] }
routes:
  - { name: gpt-4o, retry: { attempts: 1 }, targets: [{ channel: az, model: gpt4o-prod }] }
  - { name: gpt-4o-preview, retry: { attempts: 1 }, targets: [{ channel: az-preview, model: gpt4o-prod }] }
  - { name: gpt-4o-wrong, retry: { attempts: 1 }, targets: [{ channel: az-wrong-key, model: gpt4o-prod }] }
  - { name: text-embedding-3-small, targets: [{ channel: az, model: emb-prod }] }
`,
    });
    ({ upstream: azure, gateway, client } = setup);
  });

  afterAll(() => setup?.stop());

  afterEach(() => azure.setDefaults({}));

  it('chats without streaming: the deployment and api-version in the path, api-key header, usage logged', async () => {
    const { data, request_id } = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }], tools: [WEATHER_TOOL] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Hello from the mock upstream.');
    const sent = azure.requests.at(-1);
    expect(sent?.path).toBe('/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21');
    expect(sent?.headers['api-key']).toBe(CHANNEL_KEY);
    expect(sent?.headers['authorization']).toBeUndefined();
    expect(sent?.body).toMatchObject({ model: 'gpt4o-prod', tools: [WEATHER_TOOL] });

    const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
    expect(entry).toMatchObject({
      status: 200,
      requestedModel: 'gpt-4o',
      upstreamModel: 'gpt4o-prod',
      promptTokens: data.usage?.prompt_tokens,
      completionTokens: data.usage?.completion_tokens,
      usageSource: 'upstream',
    });
  });

  it("uses the api-version on the channel's base URL", async () => {
    await client.chat.completions.create({ model: 'gpt-4o-preview', messages: [{ role: 'user', content: 'Hi' }] });
    expect(azure.requests.at(-1)?.path).toBe(
      '/openai/deployments/gpt4o-prod/chat/completions?api-version=2025-01-01-preview',
    );
  });

  it('streams with tools forwarded, and logs the usage it asked for', async () => {
    const { data: stream, request_id } = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }], tools: [WEATHER_TOOL], stream: true })
      .withResponse();
    const texts: string[] = [];
    for await (const chunk of stream) texts.push(chunk.choices[0]?.delta?.content ?? '');
    expect(texts.join('')).toBe('Hello from the'); // the mock streams its first 3 words
    expect(azure.requests.at(-1)?.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
      tools: [WEATHER_TOOL],
    });
    const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
    expect(entry).toMatchObject({ stream: true, usageSource: 'upstream' });
    expect(entry.promptTokens).toBeGreaterThan(0);
  });

  it('embeds through the embeddings deployment', async () => {
    const result = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
    expect(result.data).toHaveLength(1);
    expect(azure.requests.at(-1)?.path).toBe('/openai/deployments/emb-prod/embeddings?api-version=2024-10-21');
  });

  it('passes a 400 on with its message', async () => {
    azure.setDefaults({ status: 400 });
    const error = await apiError(
      client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ message: 'mock failure 400' });
  });

  it('a rejected channel key (401) becomes 502 upstream_auth_failed, without the key', async () => {
    const error = await apiError(
      client.chat.completions.create({ model: 'gpt-4o-wrong', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_auth_failed');
    expect(JSON.stringify(error.error)).not.toContain('WRONG');
  });

  it('keeps retry-after on a 429, and answers a 500 with 502', async () => {
    azure.setDefaults({ status: 429, retryAfter: '6' });
    const limited = await apiError(
      client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(limited.status).toBe(429);
    expect(limited.headers?.get('retry-after')).toBe('6');

    azure.setDefaults({ status: 500 });
    const failed = await apiError(
      client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(failed.status).toBe(502);
    expect(failed.code).toBe('upstream_error');
  });

  it('tells the caller in the stream when the upstream resets it midway', async () => {
    azure.setDefaults({ reset: 'mid' });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    await expect(
      (async () => {
        for await (const chunk of stream) void chunk;
      })(),
    ).rejects.toThrow();
  });
});
