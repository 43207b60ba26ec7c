import { startMockDify, type MockDify } from '@synapse/testing';
import OpenAI from 'openai';
import { apiError } from './support/openai-calls';
import type { GatewayProcess } from './support/gateway-process';
import { waitForLogEntry } from './support/request-log';
import { startUpstreamGateway, type UpstreamGateway } from './support/upstream-gateway';

const KEY = 'sk-dify-up-0123456789abcdef';
const APP_KEY = 'app-channel-SECRET-7c1d';

/** The Dify fields an OpenAI caller adds to its request (docs/dify.md); the SDK forwards them as they are. */
type DifyParams = { conversation_id?: string; inputs?: Record<string, unknown> };
type WithConversation<T> = T & { conversation_id: string | null };

function params<T extends OpenAI.ChatCompletionCreateParams>(body: T & DifyParams): T {
  return body;
}

describe('dify channel type (openai SDK against the built gateway, a mock Dify chat app)', () => {
  let dify: MockDify;
  let gateway: GatewayProcess;
  let client: OpenAI;
  let setup: UpstreamGateway<MockDify>;

  beforeAll(async () => {
    setup = await startUpstreamGateway({
      startUpstream: () => startMockDify({ apiKey: APP_KEY }),
      key: KEY,
      channelsAndRoutes: (url) => `
channels:
  - { name: support, type: dify, baseUrl: ${url}, apiKey: ${APP_KEY}, models: [support-bot] }
  - { name: writer-app, type: dify, baseUrl: ${url}, apiKey: ${APP_KEY}, models: [completion] }
  - { name: support-wrong-key, type: dify, baseUrl: ${url}, apiKey: app-WRONG-00000000, models: [support-wrong] }
routes:
  - { name: support-bot, retry: { attempts: 1 }, targets: [{ channel: support }] }
  - { name: support-retried, retry: { attempts: 2 }, targets: [{ channel: support, model: support-bot }] }
  - { name: writer, retry: { attempts: 1 }, targets: [{ channel: writer-app, model: completion }] }
`,
    });
    ({ upstream: dify, gateway, client } = setup);
  });

  afterAll(() => setup?.stop());

  afterEach(() => dify.setDefaults({}));

  it('chats without streaming: the last user message is the query, usage is logged, the conversation continues', async () => {
    const { data, request_id } = await client.chat.completions
      .create(
        params({
          model: 'support-bot',
          messages: [
            { role: 'system', content: 'not sent' },
            { role: 'user', content: 'Refund policy?' },
          ],
          user: 'cust-1',
          inputs: { lang: 'en' },
        }),
      )
      .withResponse();
    const first = data as WithConversation<OpenAI.ChatCompletion>;
    expect(first.choices[0]).toMatchObject({
      message: { role: 'assistant', content: 'Turn 1: you said Refund policy?' },
      finish_reason: 'stop',
    });
    expect(first.usage).toMatchObject({ prompt_tokens: 31, completion_tokens: 7, total_tokens: 38 });
    expect(first.conversation_id).toMatch(/^[0-9a-f-]{36}$/);

    const sent = dify.requests.at(-1);
    expect(sent?.path).toBe('/chat-messages');
    expect(sent?.headers['authorization']).toBe(`Bearer ${APP_KEY}`);
    expect(sent?.body).toEqual({
      query: 'Refund policy?',
      inputs: { lang: 'en' },
      user: 'cust-1',
      response_mode: 'blocking',
    });

    const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
    expect(entry).toMatchObject({
      status: 200,
      requestedModel: 'support-bot',
      promptTokens: 31,
      completionTokens: 7,
      totalTokens: 38,
      usageSource: 'upstream',
    });

    const second = (await client.chat.completions.create(
      params({
        model: 'support-bot',
        messages: [{ role: 'user', content: 'And for sale items?' }],
        user: 'cust-1',
        conversation_id: first.conversation_id as string,
      }),
    )) as WithConversation<OpenAI.ChatCompletion>;
    expect(second.choices[0]?.message.content).toBe('Turn 2: you said And for sale items?');
    expect(second.conversation_id).toBe(first.conversation_id);

    // The metadata carrier, for callers whose SDK cannot add body fields; the user defaults to the key.
    const third = (await client.chat.completions.create({
      model: 'support-bot',
      messages: [{ role: 'user', content: 'Hi' }],
    })) as WithConversation<OpenAI.ChatCompletion>;
    expect(dify.requests.at(-1)?.body['user']).toMatch(/^key-/);
    const fourth = await client.chat.completions.create({
      model: 'support-bot',
      messages: [{ role: 'user', content: 'Again' }],
      metadata: { dify_conversation_id: third.conversation_id as string },
    });
    expect(fourth.choices[0]?.message.content).toBe('Turn 2: you said Again');
  });

  it('streams: Dify events become OpenAI chunks carrying the conversation, usage when asked and always logged', async () => {
    const { data: stream, request_id } = await client.chat.completions
      .create({ model: 'support-bot', messages: [{ role: 'user', content: 'Hello' }], user: 'cust-2', stream: true })
      .withResponse();
    const chunks: WithConversation<OpenAI.ChatCompletionChunk>[] = [];
    for await (const chunk of stream) chunks.push(chunk as WithConversation<OpenAI.ChatCompletionChunk>);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('Turn 1: you said Hello');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(new Set(chunks.map((c) => c.conversation_id)).size).toBe(1);
    expect(dify.requests.at(-1)?.body).toMatchObject({ response_mode: 'streaming', user: 'cust-2' });
    const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
    expect(entry).toMatchObject({ stream: true, promptTokens: 31, completionTokens: 7, usageSource: 'upstream' });

    const withUsage = await client.chat.completions.create(
      params({
        model: 'support-bot',
        messages: [{ role: 'user', content: 'More' }],
        user: 'cust-2',
        stream: true,
        stream_options: { include_usage: true },
        conversation_id: chunks[0]?.conversation_id as string,
      }),
    );
    const last: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of withUsage) last.push(chunk);
    expect(last.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('Turn 2: you said More');
    expect(last.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 31, completion_tokens: 7, total_tokens: 38 },
    });
  });

  it('reaches a Text Generator app through the upstream model name `completion`, blocking and streaming', async () => {
    const { data, request_id } = await client.chat.completions
      .create(params({ model: 'writer', messages: [{ role: 'user', content: 'a haiku' }], inputs: { tone: 'calm' } }))
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Completed: a haiku');
    expect(dify.requests.at(-1)).toMatchObject({
      path: '/completion-messages',
      body: { inputs: { query: 'a haiku', tone: 'calm' }, response_mode: 'blocking' },
    });
    const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
    expect(entry).toMatchObject({ requestedModel: 'writer', upstreamModel: 'completion', totalTokens: 38 });

    const stream = await client.chat.completions.create({
      model: 'writer',
      messages: [{ role: 'user', content: 'a limerick' }],
      stream: true,
    });
    const texts: string[] = [];
    for await (const chunk of stream) texts.push(chunk.choices[0]?.delta?.content ?? '');
    expect(texts.join('')).toBe('Completed: a limerick');
  });

  it('appends a moderated replacement and finishes with content_filter', async () => {
    dify.setDefaults({ replace: 'This answer was withheld.' });
    const stream = await client.chat.completions.create({
      model: 'support-bot',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe(
      'Turn 1: you said x\n\nThis answer was withheld.',
    );
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('content_filter');
  });

  it('refuses what a Dify app cannot take with a 400, and passes Dify 400s and 404s on', async () => {
    const refused = await apiError(
      client.chat.completions.create({ model: 'support-bot', messages: [{ role: 'assistant', content: 'x' }] }),
    );
    expect(refused.status).toBe(400);
    expect(refused.message).toContain('last message must be a user message');

    const unknown = await apiError(
      client.chat.completions.create(
        params({
          model: 'support-bot',
          messages: [{ role: 'user', content: 'x' }],
          conversation_id: '00000000-0000-4000-8000-000000000000',
        }),
      ),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.message).toContain('Conversation Not Exists.');

    dify.setDefaults({ status: 400 });
    const error = await apiError(
      client.chat.completions.create({ model: 'support-bot', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ message: 'mock failure 400', code: 'invalid_param' });
  });

  it('a rejected app key (401) becomes 502 upstream_auth_failed, without the key', async () => {
    const error = await apiError(
      client.chat.completions.create({ model: 'support-wrong', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_auth_failed');
    expect(JSON.stringify(error.error)).not.toContain('WRONG');
  });

  it('keeps retry-after on a 429, and retries a 500 before answering 502', async () => {
    dify.setDefaults({ status: 429, retryAfter: '7' });
    const limited = await apiError(
      client.chat.completions.create({ model: 'support-bot', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(limited.status).toBe(429);
    expect(limited.headers?.get('retry-after')).toBe('7');

    dify.setDefaults({ status: 500 });
    const before = dify.requests.length;
    const failed = await apiError(
      client.chat.completions.create({ model: 'support-retried', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(failed.status).toBe(502);
    expect(failed.code).toBe('upstream_error');
    expect(dify.requests.length - before).toBe(2);
  });

  it('tells the caller in the stream when Dify resets it midway or sends an error event', async () => {
    dify.setDefaults({ reset: 'mid' });
    const reset = await client.chat.completions.create({
      model: 'support-bot',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const texts: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of reset) texts.push(chunk.choices[0]?.delta?.content ?? '');
      })(),
    ).rejects.toThrow();
    expect(texts.join('')).toBe('Turn 1: ');

    dify.setDefaults({ streamError: true });
    const failing = await client.chat.completions.create({
      model: 'support-bot',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    await expect(
      (async () => {
        for await (const chunk of failing) void chunk;
      })(),
    ).rejects.toThrow(/completion_request_error: mock model failure/);
  });

  it('stops the Dify task with the same user when the caller hangs up mid-stream', async () => {
    dify.setDefaults({ hold: true });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'support-bot', messages: [{ role: 'user', content: 'long answer' }], user: 'cust-stop', stream: true },
      { signal: controller.signal },
    );
    const texts: string[] = [];
    // The SDK ends an aborted stream quietly or with an abort error, depending on timing.
    try {
      for await (const chunk of stream) {
        texts.push(chunk.choices[0]?.delta?.content ?? '');
        if (texts.join('') === 'Turn 1: ') controller.abort();
      }
    } catch {
      // aborted
    }
    expect(texts.join('')).toBe('Turn 1: ');
    for (let i = 0; i < 50 && dify.stops.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(dify.stops).toEqual([{ taskId: expect.stringMatching(/^[0-9a-f-]{36}$/), user: 'cust-stop' }]);
    expect(dify.requests.at(-1)).toMatchObject({ path: `/chat-messages/${dify.stops[0]?.taskId}/stop` });
  });
});
