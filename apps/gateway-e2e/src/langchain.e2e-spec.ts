import { AIMessage, AIMessageChunk, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { ChatAnthropic } from '@langchain/anthropic';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import { eventually } from './support/eventually';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { startToolUpstream, type ToolUpstream } from './support/tool-upstream';
import { WEATHER_TOOL } from './support/weather-tool';

const KEY = 'sk-langchain-0123456789abcdef01';
const SPENT_KEY = 'sk-langchain-spent-0123456789ab';
const UPSTREAM_SECRET = 'sk-upstream-SECRET-lc-5a1e';

/**
 * LangChain's OpenAI classes against the built gateway, configured as LangChain's docs show for an
 * OpenAI-compatible server (`configuration.baseURL`). LangChain sends through the openai SDK with
 * the SDK's retries off and retries with its own caller, so what it makes of the gateway's errors is
 * its own.
 */
describe('LangChain (@langchain/openai) against the built gateway', () => {
  let upstream: MockUpstream;
  let tools: ToolUpstream;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    upstream = await startMockUpstream({ apiKey: UPSTREAM_SECRET, record: true });
    tools = await startToolUpstream();
    gateway = await startGateway({
      config: `
channels:
  - { name: main, baseUrl: ${upstream.url}, apiKey: ${UPSTREAM_SECRET}, models: [gpt-4o-mini, text-embedding-3-small, claude-via-mock] }
  - { name: tools, baseUrl: ${tools.url}, models: [tool-model, claude-tools] }
  - { name: stale-key, baseUrl: ${upstream.url}, apiKey: sk-upstream-REVOKED-0000, models: [stale-model] }
prices:
  "gpt-4o*": { input: 1, output: 2 }
keys:
  - { name: langchain, key: ${KEY}, models: ["*"] }
  - { name: spent, key: ${SPENT_KEY}, limits: { dailyBudgetUsd: 0.00003 } }
`,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    await tools?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  /** A model whose every HTTP request is counted, to see LangChain's retries. */
  const countingChat = (fields: ConstructorParameters<typeof ChatOpenAI>[0] & { apiKey: string }) => {
    const sent = { requests: 0 };
    const model = new ChatOpenAI({
      model: 'gpt-4o-mini',
      ...fields,
      configuration: {
        baseURL: gateway.baseURL,
        fetch: (url: string | URL | Request, init?: RequestInit) => (sent.requests++, fetch(url, init)),
      },
    });
    return { model, sent };
  };
  const failure = (call: Promise<unknown>) =>
    call.then(
      () => {
        throw new Error('expected the call to fail');
      },
      (error: unknown) => error as Error & { status?: number },
    );

  const chat = (fields: ConstructorParameters<typeof ChatOpenAI>[0] = {}) =>
    new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: KEY, configuration: { baseURL: gateway.baseURL }, ...fields });

  it('invokes a chat model: the answer, and its token usage', async () => {
    const answer = await chat().invoke([new HumanMessage('Hello')]);
    expect(answer).toBeInstanceOf(AIMessage);
    expect(answer.content).toBe('Hello from the mock upstream.');
    expect(answer.usage_metadata).toMatchObject({ input_tokens: 11, output_tokens: 6, total_tokens: 17 });
    expect(answer.response_metadata).toMatchObject({ model_name: 'gpt-4o-mini', finish_reason: 'stop' });
    const sent = upstream.requests.at(-1);
    expect(sent?.body['messages']).toEqual([{ role: 'user', content: 'Hello' }]);
  });

  it('streams a chat model chunk by chunk, with the usage LangChain asks for at the end', async () => {
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await chat({ modelKwargs: { mock: { chunks: 4 } } }).stream('Count')) {
      chunks.push(chunk);
    }
    const texts = chunks.map((c) => c.content).filter((c) => c !== '');
    expect(texts.length).toBe(4);
    const whole = chunks.reduce((all, c) => all.concat(c));
    expect(whole.content).toBe(texts.join(''));
    // LangChain asks for `stream_options.include_usage` itself; the gateway must pass the usage chunk on.
    expect(upstream.requests.at(-1)?.body['stream_options']).toEqual({ include_usage: true });
    expect(whole.usage_metadata).toMatchObject({ input_tokens: 11, output_tokens: 4, total_tokens: 15 });
  });

  it('a stream the caller aborts (AbortSignal) ends the upstream call', async () => {
    const before = upstream.aborted;
    const controller = new AbortController();
    const stream = await chat({ modelKwargs: { mock: { chunks: 5, gate: 'langchain-never-released' } } }).stream(
      'Count',
      {
        signal: controller.signal,
      },
    );
    const first = await stream[Symbol.asyncIterator]().next();
    expect(first.value?.content).toBe('Hello');
    controller.abort();
    await eventually(() => expect(upstream.aborted).toBe(before + 1));
  });

  it('binds a tool: the call comes back parsed, invoked and streamed, and the tool result goes back', async () => {
    const model = chat({ model: 'tool-model' }).bindTools([WEATHER_TOOL]);
    const asked = await model.invoke('Weather in Oslo?');
    expect(asked.tool_calls).toEqual([
      expect.objectContaining({ id: 'call_w1', name: 'get_weather', args: { city: 'Oslo' } }),
    ]);
    expect(tools.bodies.at(-1)?.['tools']).toEqual([WEATHER_TOOL]);

    let streamed: AIMessageChunk | undefined;
    for await (const chunk of await model.stream('Weather in Oslo?'))
      streamed = streamed ? streamed.concat(chunk) : chunk;
    expect(streamed?.tool_calls).toEqual([
      expect.objectContaining({ id: 'call_w1', name: 'get_weather', args: { city: 'Oslo' } }),
    ]);

    await model.invoke([
      new HumanMessage('Weather in Oslo?'),
      asked,
      new ToolMessage({ tool_call_id: 'call_w1', content: '{"celsius":4}' }),
    ]);
    const followUp = tools.bodies.at(-1)?.['messages'] as Record<string, unknown>[];
    expect(followUp.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_w1', content: '{"celsius":4}' });
    expect(followUp.at(-2)).toMatchObject({
      role: 'assistant',
      tool_calls: [
        { id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
      ],
    });
  });

  it('asks for structured output by function calling and gets the parsed object', async () => {
    const schema = {
      title: 'get_weather',
      description: 'Current weather',
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
    };
    const structured = chat({ model: 'tool-model' }).withStructuredOutput(schema, { method: 'functionCalling' });
    expect(await structured.invoke('Weather in Oslo?')).toEqual({ city: 'Oslo' });
    expect(tools.bodies.at(-1)?.['tool_choice']).toEqual({ type: 'function', function: { name: 'get_weather' } });
  });

  it('speaks the Responses API when LangChain is told to (useResponsesApi), invoked and streamed', async () => {
    const model = chat({ useResponsesApi: true });
    const answer = await model.invoke('Hello');
    expect(answer.text).toBe('Hello from the mock upstream.');
    expect(answer.usage_metadata).toMatchObject({ input_tokens: 11, output_tokens: 6, total_tokens: 17 });
    // The gateway translates Responses calls for a chat-completions channel: the upstream got one.
    expect(upstream.requests.at(-1)?.path).toBe('/v1/chat/completions');

    let streamed: AIMessageChunk | undefined;
    for await (const chunk of await model.stream('Hello')) streamed = streamed ? streamed.concat(chunk) : chunk;
    // The mock streams its first three words.
    expect(streamed?.text).toBe('Hello from the');
    expect(streamed?.usage_metadata).toMatchObject({ input_tokens: 11, output_tokens: 3 });
  });

  it('embeds a query and documents', async () => {
    const embeddings = new OpenAIEmbeddings({
      model: 'text-embedding-3-small',
      apiKey: KEY,
      configuration: { baseURL: gateway.baseURL },
    });
    const query = await embeddings.embedQuery('hello');
    expect(query.length).toBeGreaterThan(0);
    expect(query.every((x) => typeof x === 'number' && Number.isFinite(x))).toBe(true);
    const documents = await embeddings.embedDocuments(['one', 'two', 'three']);
    expect(documents).toHaveLength(3);
    expect(documents[0]).toHaveLength(query.length);
  });

  it('a wrong gateway key fails at once with the OpenAI error (LangChain does not retry a 401)', async () => {
    const { model, sent } = countingChat({ apiKey: 'sk-not-a-gateway-key-000000000' });
    const error = await failure(model.invoke('Hello'));
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/api key/i);
    expect(sent.requests).toBe(1);
  });

  it('a spent budget fails at once: LangChain reads insufficient_quota as final', async () => {
    const { model, sent } = countingChat({ apiKey: SPENT_KEY });
    await model.invoke('Hello');
    // The cost is charged after the answer, on a later turn of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const error = await failure(model.invoke('Hello'));
    expect(error.name).toBe('InsufficientQuotaError');
    expect(error.message).toContain('daily budget');
    expect(sent.requests).toBe(2);
  });

  // LangChain retries every 5xx with its own backoff (1 s, 2 s, 4 s, ... six times by default) and
  // does not read `x-should-retry`: docs/configuration.md says so beside that header.
  it('a channel whose key the upstream refuses: a 502 without the key, which LangChain retries', async () => {
    const { model, sent } = countingChat({ model: 'stale-model', apiKey: KEY, maxRetries: 1 });
    const error = await failure(model.invoke('Hello'));
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/upstream/i);
    expect(error.message).not.toContain('REVOKED');
    expect(sent.requests).toBe(2);
  });
  // ChatAnthropic reaches the gateway's Messages API (`/v1/messages`), translated to the OpenAI-format channels here.
  describe('ChatAnthropic (@langchain/anthropic) on the Messages API ingress', () => {
    const claude = (fields: ConstructorParameters<typeof ChatAnthropic>[0] = {}) =>
      new ChatAnthropic({
        model: 'claude-via-mock',
        apiKey: KEY,
        anthropicApiUrl: gateway.baseURL.replace(/\/v1$/, ''),
        ...fields,
      });

    it('invokes: the answer and its token usage', async () => {
      const answer = await claude().invoke('Hello');
      expect(answer.content).toBe('Hello from the mock upstream.');
      expect(answer.usage_metadata).toMatchObject({ input_tokens: 11, output_tokens: 6, total_tokens: 17 });
      expect(upstream.requests.at(-1)?.body['messages']).toEqual([{ role: 'user', content: 'Hello' }]);
    });

    it('streams text chunk by chunk', async () => {
      const texts: string[] = [];
      let whole: AIMessageChunk | undefined;
      for await (const chunk of await claude().stream('Count')) {
        if (typeof chunk.content === 'string' && chunk.content) texts.push(chunk.content);
        whole = whole ? whole.concat(chunk) : chunk;
      }
      expect(texts).toEqual(['Hello', ' from', ' the']);
      // Input tokens come at the end of an OpenAI-format stream, in message_delta, where LangChain
      // does not read them (docs/anthropic.md): only the output count is LangChain's to report.
      expect(whole?.usage_metadata?.output_tokens).toBe(3);
    });

    it('binds a tool and gets the call back parsed', async () => {
      const asked = await claude({ model: 'claude-tools' }).bindTools([WEATHER_TOOL]).invoke('Weather in Oslo?');
      expect(asked.tool_calls).toEqual([
        expect.objectContaining({ id: 'call_w1', name: 'get_weather', args: { city: 'Oslo' } }),
      ]);
      expect(tools.bodies.at(-1)?.['tools']).toEqual([WEATHER_TOOL]);
    });

    it('a wrong gateway key fails at once with a 401', async () => {
      const error = await failure(claude({ apiKey: 'sk-not-a-gateway-key-000000000', maxRetries: 0 }).invoke('Hello'));
      expect(error.status).toBe(401);
    });
  });
});
