import { startMockGemini, startMockUpstream, type MockGemini, type MockUpstream } from '@synapse/testing';
import OpenAI from 'openai';
import { apiError } from './support/openai-calls';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';
import { waitForLogEntry } from './support/request-log';
import { startToolUpstream, type ToolUpstream } from './support/tool-upstream';

const KEY = 'sk-responses-e2e-0123456789abcdef';
const LIMITED_KEY = 'sk-responses-limited-0123456789ab';
const GEMINI_KEY = 'AIza-responses-e2e-7c1d';
/** $ per million tokens, from the config below. */
const PRICE = { input: 3, output: 12 };

const WEATHER_TOOL: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: true,
};

/** A raw POST, as curl would send it. */
async function post(origin: string, path: string, body: unknown, key = KEY): Promise<Response> {
  return fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('OpenAI Responses API ingress (openai SDK client.responses against the built gateway)', () => {
  let upstream: MockUpstream;
  let tools: ToolUpstream;
  let gemini: MockGemini;
  let gateway: GatewayProcess;
  let client: OpenAI;
  let origin: string;

  beforeAll(async () => {
    upstream = await startMockUpstream();
    tools = await startToolUpstream();
    gemini = await startMockGemini({ apiKey: GEMINI_KEY });
    const config = `
channels:
  - { name: openai-mock, type: openai, baseUrl: ${upstream.url}, models: [gpt-via-mock], timeouts: { firstByteMs: 1500 } }
  - { name: tool-mock, type: openai, baseUrl: ${tools.url}, models: [gpt-tools] }
  - { name: google, type: gemini, baseUrl: ${gemini.url}, apiKey: ${GEMINI_KEY}, models: [flash] }
routes:
  - { name: gpt-via-mock, retry: { attempts: 1 }, targets: [{ channel: openai-mock }] }
  - { name: flash, retry: { attempts: 1 }, targets: [{ channel: google, model: gemini-2.5-flash }] }
keys:
  - { name: ci, key: ${KEY}, models: ["*"] }
  - { name: limited, key: ${LIMITED_KEY}, models: ["other-*"] }
prices:
  "gpt-via-mock": { input: ${PRICE.input}, output: ${PRICE.output} }
`;
    gateway = await startGateway({ config, env: { ROUTING_FAILURE_THRESHOLD: '1000', LOG_FLUSH_INTERVAL_MS: '50' } });
    origin = gateway.baseURL.replace(/\/v1$/, '');
    client = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    await tools?.close();
    await gemini?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  afterEach(() => upstream.setDefaults({}));

  it('answers responses.create: output_text, usage, the request echoed; logs usage, cost and the format', async () => {
    const { data, request_id } = await client.responses
      .create({
        model: 'gpt-via-mock',
        instructions: 'Answer briefly.',
        input: 'Say hello.',
        max_output_tokens: 64,
        temperature: 0.4,
        top_p: 0.9,
        metadata: { team: 'blue' },
        user: 'end-user-7',
        store: true,
      })
      .withResponse();
    expect(data.output_text).toBe('Hello from the mock upstream.');
    expect(data).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'gpt-via-mock',
      instructions: 'Answer briefly.',
      metadata: { team: 'blue' },
      temperature: 0.4,
      top_p: 0.9,
      max_output_tokens: 64,
      store: false,
      error: null,
      output: [
        {
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Hello from the mock upstream.', annotations: [] }],
        },
      ],
      usage: {
        input_tokens: 11,
        output_tokens: 6,
        total_tokens: 17,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens_details: { reasoning_tokens: 0 },
      },
    });
    expect(data.id).toMatch(/^resp_/);
    const sent = upstream.requests.at(-1)?.body;
    expect(sent).toMatchObject({
      model: 'gpt-via-mock',
      messages: [
        { role: 'system', content: 'Answer briefly.' },
        { role: 'user', content: 'Say hello.' },
      ],
      max_completion_tokens: 64,
      temperature: 0.4,
      top_p: 0.9,
      user: 'end-user-7',
    });
    expect(sent).not.toHaveProperty('metadata');
    expect(sent).not.toHaveProperty('store');
    const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
    expect(entry).toMatchObject({
      endpoint: 'chat.completions',
      ingressFormat: 'responses',
      status: 200,
      stream: false,
      requestedModel: 'gpt-via-mock',
      promptTokens: 11,
      completionTokens: 6,
      totalTokens: 17,
      usageSource: 'upstream',
    });
    expect(entry.costUsd).toBeCloseTo((11 * PRICE.input + 6 * PRICE.output) / 1e6, 12);
  });

  it('streams with stream: true: the event sequence OpenAI sends, usage on response.completed and in the log', async () => {
    const { data: stream, request_id } = await client.responses
      .create({ model: 'gpt-via-mock', input: [{ role: 'user', content: 'Hello' }], stream: true })
      .withResponse();
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const types = events.map((e) => e.type);
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const deltas = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : []));
    expect(deltas.join('')).toBe('Hello from the');
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(completed.response).toMatchObject({
      status: 'completed',
      output: [{ type: 'message', content: [{ type: 'output_text', text: 'Hello from the' }] }],
      usage: { input_tokens: 11, output_tokens: 3, total_tokens: 14 },
    });
    expect(upstream.requests.at(-1)?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const entry = await waitForLogEntry(gateway.dataDir, request_id as string);
    expect(entry).toMatchObject({
      ingressFormat: 'responses',
      stream: true,
      status: 200,
      promptTokens: 11,
      completionTokens: 3,
      usageSource: 'upstream',
    });
    expect(entry.costUsd).toBeCloseTo((11 * PRICE.input + 3 * PRICE.output) / 1e6, 12);
    expect(entry.ttftMs).not.toBeNull();
  });

  it('streams with the responses.stream helper: text deltas as they come, finalResponse() whole', async () => {
    const stream = client.responses.stream({ model: 'gpt-via-mock', input: 'Hello', text: { verbosity: 'low' } });
    const snapshots: string[] = [];
    stream.on('response.output_text.delta', (event) => snapshots.push(event.snapshot));
    const final = await stream.finalResponse();
    expect(snapshots).toEqual(['Hello', 'Hello from', 'Hello from the']);
    // The helper's finalResponse() adds no output_text unless it parses (openai 6.30.1): read the item.
    expect(final.output).toMatchObject([
      { type: 'message', content: [{ type: 'output_text', text: 'Hello from the' }] },
    ]);
    expect(final.status).toBe('completed');
    expect(final.usage).toMatchObject({ input_tokens: 11, output_tokens: 3 });
    expect(upstream.requests.at(-1)?.body).toMatchObject({ verbosity: 'low' });
  });

  it('calls functions and takes their results back, without and with streaming', async () => {
    const first = await client.responses.create({
      model: 'gpt-tools',
      input: 'Weather in Oslo?',
      tools: [WEATHER_TOOL],
      tool_choice: 'auto',
      parallel_tool_calls: false,
    });
    expect(first.output).toMatchObject([
      { type: 'message', content: [{ type: 'output_text', text: 'Checking.' }] },
      { type: 'function_call', call_id: 'call_w1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
    ]);
    expect(tools.bodies.at(-1)).toMatchObject({
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', description: 'Current weather', parameters: WEATHER_TOOL.parameters },
        },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: false,
    });

    // The caller runs the tool and sends the whole conversation back: the gateway keeps no state.
    const call = first.output.find(
      (item) => item.type === 'function_call',
    ) as OpenAI.Responses.ResponseFunctionToolCall;
    const input: OpenAI.Responses.ResponseInput = [
      { role: 'user', content: 'Weather in Oslo?' },
      call,
      { type: 'function_call_output', call_id: call.call_id, output: '{"temp_c":4}' },
    ];
    await client.responses.create({ model: 'gpt-tools', input, tools: [WEATHER_TOOL] });
    expect(tools.bodies.at(-1)?.['messages']).toEqual([
      { role: 'user', content: 'Weather in Oslo?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_w1', content: '{"temp_c":4}' },
    ]);

    const stream = client.responses.stream({ model: 'gpt-tools', input, tools: [WEATHER_TOOL] });
    const argumentDeltas: string[] = [];
    stream.on('response.function_call_arguments.delta', (event) => argumentDeltas.push(event.delta));
    const done: OpenAI.Responses.ResponseFunctionCallArgumentsDoneEvent[] = [];
    stream.on('response.function_call_arguments.done', (event) => done.push(event));
    const streamed = await stream.finalResponse();
    expect(argumentDeltas).toEqual(['{"city":', '"Oslo"}']);
    expect(done).toMatchObject([{ name: 'get_weather', arguments: '{"city":"Oslo"}' }]);
    expect(streamed.output).toMatchObject([
      { type: 'message', content: [{ type: 'output_text', text: 'Checking.' }] },
      { type: 'function_call', call_id: 'call_w1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
    ]);
    expect(streamed.usage).toMatchObject({ input_tokens: 40, output_tokens: 12 });
  });

  it('reaches a native upstream too: Gemini through both translators, with function calls and usage', async () => {
    const { data, request_id } = await client.responses
      .create({ model: 'flash', instructions: 'Be brief.', input: 'Weather in Bergen?', tools: [WEATHER_TOOL] })
      .withResponse();
    expect(data.output_text).toBe('Hello from Gemini.');
    expect(data.output).toMatchObject([
      { type: 'message' },
      { type: 'function_call', name: 'get_weather', arguments: '{"city":"Bergen"}' },
    ]);
    expect(data.usage).toMatchObject({
      input_tokens: 31,
      output_tokens: 11,
      input_tokens_details: { cached_tokens: 6 },
    });
    expect(gemini.requests.at(-1)?.body).toMatchObject({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Weather in Bergen?' }] }],
      tools: [{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: WEATHER_TOOL.parameters }] }],
    });
    expect(await waitForLogEntry(gateway.dataDir, request_id as string)).toMatchObject({
      ingressFormat: 'responses',
      upstreamModel: 'gemini-2.5-flash',
      promptTokens: 31,
      completionTokens: 11,
    });

    const stream = client.responses.stream({ model: 'flash', input: 'Weather in Bergen?', tools: [WEATHER_TOOL] });
    const final = await stream.finalResponse();
    expect(final.output).toMatchObject([
      { type: 'message', content: [{ type: 'output_text', text: 'Hello from Gemini.' }] },
      { type: 'function_call', name: 'get_weather', arguments: '{"city":"Bergen"}', status: 'completed' },
    ]);
    expect(final.usage).toMatchObject({ input_tokens: 31, output_tokens: 11 });
  });

  it('counts input tokens locally with responses.inputTokens.count, for models the key may use', async () => {
    const before = upstream.requests.length;
    const counted = await client.responses.inputTokens.count({
      model: 'gpt-via-mock',
      instructions: 'Answer briefly.',
      input: 'Hello there, how are you today?',
    });
    expect(counted.object).toBe('response.input_tokens');
    expect(counted.input_tokens).toBeGreaterThan(5);
    expect(counted.input_tokens).toBeLessThan(40);
    expect(upstream.requests.length).toBe(before);
    const limited = new OpenAI({ apiKey: LIMITED_KEY, baseURL: gateway.baseURL, maxRetries: 0 });
    const refused = await apiError(limited.responses.inputTokens.count({ model: 'gpt-via-mock', input: 'x' }));
    expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(refused.error).toMatchObject({ code: 'model_not_allowed' });
  });

  it('maps text.format and reasoning.effort onto the chat request', async () => {
    await client.responses.create({
      model: 'gpt-via-mock',
      input: 'A city as JSON.',
      text: {
        format: {
          type: 'json_schema',
          name: 'city',
          schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
          strict: true,
        },
      },
      reasoning: { effort: 'low' },
    });
    expect(upstream.requests.at(-1)?.body).toMatchObject({
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'city',
          schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
          strict: true,
        },
      },
      reasoning_effort: 'low',
    });
    await client.responses.create({ model: 'gpt-via-mock', input: 'JSON', text: { format: { type: 'json_object' } } });
    expect(upstream.requests.at(-1)?.body).toMatchObject({ response_format: { type: 'json_object' } });
  });

  it('refuses what it cannot serve with 400s in OpenAI’s error shape, before any upstream call', async () => {
    const before = upstream.requests.length + tools.bodies.length;
    const cases: [unknown, string, RegExp][] = [
      [{ model: 'gpt-via-mock' }, 'input', /Missing required parameter: 'input'/],
      [{ model: 'gpt-via-mock', input: 'x', tools: [{ type: 'web_search' }] }, 'tools[0].type', /web_search/],
      [{ model: 'gpt-via-mock', input: 'x', previous_response_id: 'resp_1' }, 'previous_response_id', /store/],
      [{ model: 'gpt-via-mock', input: 'x', background: true }, 'background', /storage/],
      [{ model: 'gpt-via-mock', input: [{ type: 'item_reference', id: 'msg_1' }] }, 'input[0].type', /stored/],
    ];
    for (const [body, param, message] of cases) {
      const response = await post(origin, '/v1/responses', body);
      expect(response.status).toBe(400);
      expect(response.headers.get('x-request-id')).toBeTruthy();
      const error = ((await response.json()) as { error: Record<string, unknown> }).error;
      expect(error).toMatchObject({ type: 'invalid_request_error', param, code: 'invalid_request' });
      expect(error['message']).toMatch(message);
    }
    const invalidJson = await fetch(`${origin}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: '{"model":',
    });
    expect(invalidJson.status).toBe(400);
    expect(await invalidJson.json()).toMatchObject({ error: { code: 'invalid_json' } });
    expect(upstream.requests.length + tools.bodies.length).toBe(before);

    // The SDK sees the same refusal as a BadRequestError.
    const sdk = await apiError(
      client.responses.create({ model: 'gpt-via-mock', input: 'x', tools: [{ type: 'web_search' }] }),
    );
    expect(sdk).toBeInstanceOf(OpenAI.BadRequestError);
    expect(sdk.param).toBe('tools[0].type');
    expect(await waitForLogEntry(gateway.dataDir, sdk.requestID as string)).toMatchObject({
      ingressFormat: 'responses',
      status: 400,
      errorClass: 'invalid_request',
    });
  });

  it('keeps no responses: retrieve, delete and cancel answer 404 in OpenAI’s shape', async () => {
    const retrieved = await apiError(client.responses.retrieve('resp_abc'));
    expect(retrieved).toBeInstanceOf(OpenAI.NotFoundError);
    expect(retrieved.error).toMatchObject({ code: 'response_not_found', type: 'invalid_request_error' });
    expect(retrieved.message).toMatch(/does not store responses/);
    expect(await apiError(client.responses.delete('resp_abc'))).toBeInstanceOf(OpenAI.NotFoundError);
    expect(await apiError(client.responses.cancel('resp_abc'))).toBeInstanceOf(OpenAI.NotFoundError);
    expect(await apiError(client.responses.inputItems.list('resp_abc'))).toBeInstanceOf(OpenAI.NotFoundError);
    const stranger = await fetch(`${origin}/v1/responses/resp_abc`, {
      headers: { authorization: 'Bearer sk-nope-00000000' },
    });
    expect(stranger.status).toBe(401);
  });

  it('refuses a key that may not use the model (403) and a wrong key (401), and logs both', async () => {
    const limited = new OpenAI({ apiKey: LIMITED_KEY, baseURL: gateway.baseURL, maxRetries: 0 });
    const refused = await apiError(limited.responses.create({ model: 'gpt-via-mock', input: 'x' }));
    expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(refused.error).toMatchObject({ code: 'model_not_allowed', param: 'model' });
    const entry = await waitForLogEntry(gateway.dataDir, refused.requestID as string);
    expect(entry).toMatchObject({ ingressFormat: 'responses', status: 403, errorClass: 'model_not_allowed' });

    const stranger = new OpenAI({ apiKey: 'sk-not-a-key-0000000000000000', baseURL: gateway.baseURL, maxRetries: 0 });
    const denied = await apiError(stranger.responses.create({ model: 'gpt-via-mock', input: 'x' }));
    expect(denied).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((await waitForLogEntry(gateway.dataDir, denied.requestID as string)).ingressFormat).toBe('responses');
  });

  it('passes an upstream 429 on with its retry-after', async () => {
    upstream.setDefaults({ status: 429, retryAfter: '7' });
    const error = await apiError(client.responses.create({ model: 'gpt-via-mock', input: 'x' }));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.headers?.get('retry-after')).toBe('7');
  });

  it('ends a stream the upstream resets midway with error and response.failed events', async () => {
    upstream.setDefaults({ reset: 'mid', chunks: 4 });
    const stream = await client.responses.create({ model: 'gpt-via-mock', input: 'x', stream: true });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.type).slice(-2)).toEqual(['error', 'response.failed']);
    expect(events.at(-2)).toMatchObject({ type: 'error', code: 'server_error', message: /broke off/ });
    expect(events.at(-1)).toMatchObject({ response: { status: 'failed', error: { code: 'server_error' } } });

    upstream.setDefaults({ reset: 'mid', chunks: 4 });
    const helper = client.responses.stream({ model: 'gpt-via-mock', input: 'x' });
    await expect(helper.finalResponse()).rejects.toMatchObject({ type: 'error', message: /broke off/ });
  });
});
