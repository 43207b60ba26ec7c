import Anthropic from '@anthropic-ai/sdk';
import { startMockHttpServer, type MockHttpServer } from '@synapse/testing';
import OpenAI from 'openai';
import { waitForLogEntry } from './support/request-log';
import { removeDir, startGateway, type GatewayProcess } from './support/gateway-process';

const KEY = 'sk-answers-0123456789abcdef01234567';
const CAPPED_KEY = 'sk-answers-capped-0123456789abcdef';

const completion = (model: string) => ({
  id: 'chatcmpl-whole',
  object: 'chat.completion',
  created: 1,
  model,
  system_fingerprint: 'fp_1',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'It is sunny.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }],
      },
      finish_reason: 'tool_calls',
    },
  ],
  usage: { prompt_tokens: 13, completion_tokens: 8, total_tokens: 21 },
});

/**
 * Answers that say 200 but are not what the caller asked for: a web page (a base URL that points
 * at a website), one error object, and one JSON completion to a streamed call (a server that
 * ignores `stream: true`).
 */
describe('2xx answers that are not the API’s (built gateway, openai and anthropic SDKs)', () => {
  let site: MockHttpServer;
  let nonStreaming: MockHttpServer;
  let lateError: MockHttpServer;
  let strict: MockHttpServer;
  let sloppy: MockHttpServer;
  let reasoning: MockHttpServer;
  const strictBodies: Record<string, unknown>[] = [];
  const reasoningBodies: Record<string, unknown>[] = [];
  let gateway: GatewayProcess;
  let openai: OpenAI;
  const siteCalls: string[] = [];

  beforeAll(async () => {
    site = await startMockHttpServer(({ req, res }) => {
      siteCalls.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><h1>Welcome</h1>');
    });
    nonStreaming = await startMockHttpServer(({ res, body }) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion(String(body['model']))));
    });
    // OpenRouter's way when a provider fails after the call was accepted: 200 and one error object.
    lateError = await startMockHttpServer(({ res, body }) => {
      const code = body['model'] === 'quota' ? 429 : 502;
      const message = code === 429 ? 'Rate limit exceeded: free-models-per-day' : 'Provider returned error';
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code, message } }));
    });
    // Azure OpenAI before api-version 2024-09-01, and servers that refuse fields they do not know.
    strict = await startMockHttpServer(({ res, body }) => {
      strictBodies.push(body);
      for (const field of ['stream_options', 'max_completion_tokens']) {
        if (field in body) {
          const error = { message: `Unrecognized request argument supplied: ${field}`, type: 'invalid_request_error' };
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error }));
          return;
        }
      }
      if (!body['stream']) {
        const capped = { index: 0, message: { role: 'assistant', content: 'capped' }, finish_reason: 'length' };
        const answer = { ...completion('strict-model'), choices: [capped] };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        return;
      }
      const chunk = (content: string) =>
        `data: ${JSON.stringify({ id: 's', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
      res
        .writeHead(200, { 'content-type': 'text/event-stream' })
        .end(`${chunk('strict ')}${chunk('answer')}data: [DONE]\n\n`);
    });
    // Right bodies under wrong types: Flask's default `text/html`, events labelled as JSON.
    sloppy = await startMockHttpServer(({ res, body }) => {
      const always = body['model'] === 'always-streams';
      const type =
        body['model'] === 'page-typed' ? 'text/html; charset=utf-8' : always ? 'text/event-stream' : 'application/json';
      if (!body['stream'] && !always) {
        res.writeHead(200, { 'content-type': type }).end(JSON.stringify(completion('sloppy')));
        return;
      }
      const chunk = (content: string) =>
        `data: ${JSON.stringify({ id: 's', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
      const usage = `data: ${JSON.stringify({ id: 's', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 } })}\n\n`;
      res.writeHead(200, { 'content-type': type }).end(`${chunk('sloppy ')}${chunk('stream')}${usage}data: [DONE]\n\n`);
    });
    // OpenAI's reasoning models (o3, gpt-5) take only max_completion_tokens.
    reasoning = await startMockHttpServer(({ res, body }) => {
      reasoningBodies.push(body);
      if ('max_tokens' in body) {
        const error = {
          message:
            "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
          type: 'invalid_request_error',
          param: 'max_tokens',
          code: 'unsupported_parameter',
        };
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion('o3')));
    });
    gateway = await startGateway({
      config: `
channels:
  - { name: site, baseUrl: "http://127.0.0.1:${site.port}", models: [m] }
  - { name: whole, baseUrl: "http://127.0.0.1:${nonStreaming.port}/v1", models: [m] }
  - { name: late, baseUrl: "http://127.0.0.1:${lateError.port}/v1", models: [quota, failed] }
  - { name: strict, baseUrl: "http://127.0.0.1:${strict.port}/v1", models: [strict-model] }
  - { name: sloppy, baseUrl: "http://127.0.0.1:${sloppy.port}/v1", models: [page-typed, json-typed, always-streams] }
  - { name: reasoning, baseUrl: "http://127.0.0.1:${reasoning.port}/v1", models: [o3] }
routes:
  - { name: smart, targets: [{ channel: reasoning, model: o3 }] }
  - { name: site-only, targets: [{ channel: site, model: m }] }
  - { name: site-first, strategy: priority, targets: [{ channel: site, model: m, priority: 1 }, { channel: whole, model: m, priority: 0 }] }
  - { name: whole, targets: [{ channel: whole, model: m }] }
  - { name: quota, retry: { attempts: 1 }, targets: [{ channel: late, model: quota }] }
  - { name: late-first, strategy: priority, targets: [{ channel: late, model: failed, priority: 1 }, { channel: whole, model: m, priority: 0 }] }
keys:
  - { name: k, key: ${KEY} }
  - { name: capped, key: ${CAPPED_KEY}, limits: { maxTokensPerCall: 50 } }
`,
      env: { HEALTH_CHECK_INTERVAL_MS: '0' },
    });
    openai = new OpenAI({ apiKey: KEY, baseURL: gateway.baseURL, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.stop();
    await site?.close();
    await nonStreaming?.close();
    await lateError?.close();
    await strict?.close();
    await sloppy?.close();
    await reasoning?.close();
    if (gateway) removeDir(gateway.dataDir);
  });

  const ask = (model: string) => openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

  it('answers a web page as the upstream’s invalid response, 502, saying to check the base URL', async () => {
    const error = (await ask('site-only').catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 502, error: { code: 'upstream_invalid_response' } });
    expect(siteCalls).toContain('/chat/completions');
    const entry = await waitForLogEntry(gateway.dataDir, error.requestID ?? '');
    expect(entry).toMatchObject({ status: 502, errorClass: 'upstream_invalid_response' });
    expect(entry.errorMessage).toContain(
      "answered a web page (Content-Type: text/html), not its API: check the channel's base URL",
    );
  });

  it('answers a 200 of one error object as that error: its code as the status, its message', async () => {
    const error = (await ask('quota').catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.message).toContain('Rate limit exceeded: free-models-per-day');
    const entry = await waitForLogEntry(gateway.dataDir, error.requestID ?? '');
    expect(entry).toMatchObject({ status: 429 });
  });

  it('answers a streamed call’s 200 of one error object as that error too', async () => {
    const call = openai.chat.completions.create({
      model: 'quota',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    await expect(call).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    const { data: stream } = await openai.chat.completions
      .create({ model: 'late-first', stream: true, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('It is sunny.');
  });

  it.each(['page-typed', 'json-typed'])('reads the first bytes, not only the type: %s answers pass', async (model) => {
    expect((await ask(model)).choices[0].message.content).toBe('It is sunny.');
    const stream = await openai.chat.completions.create({
      model,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('sloppy stream');
  });

  it('answers a call that asked for no stream with the completion a server’s events add up to', async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: 'always-streams', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(data).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'sloppy stream' } }] });
    const entry = await waitForLogEntry(gateway.dataDir, response.headers.get('x-request-id') as string);
    expect(entry).toMatchObject({ status: 200, promptTokens: 4, completionTokens: 2, usageSource: 'upstream' });
    const anthropic = new Anthropic({ apiKey: KEY, baseURL: gateway.url, maxRetries: 0 });
    const message = await anthropic.messages.create({
      model: 'always-streams',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message.content).toEqual([{ type: 'text', text: 'sloppy stream' }]);
  });

  it.each([
    ['a web page', 'site-first'],
    ['a 200 of a provider’s failure', 'late-first'],
  ])('tries the route’s next target after %s', async (_, model) => {
    const { data, response } = await openai.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe('It is sunny.');
    expect(response.headers.get('x-synapse-attempts')).toBe('2');
  });

  it('streams from a server that refuses stream_options: sent again without, asked no more, usage counted', async () => {
    const streamText = async () => {
      const { data: stream, response } = await openai.chat.completions
        .create({ model: 'strict-model', stream: true, messages: [{ role: 'user', content: 'hi' }] })
        .withResponse();
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return { text, id: response.headers.get('x-request-id') as string };
    };
    const first = await streamText();
    expect(first.text).toBe('strict answer');
    expect(strictBodies.map((body) => 'stream_options' in body)).toEqual([true, false]);
    const second = await streamText();
    expect(second.text).toBe('strict answer');
    expect(strictBodies.map((body) => 'stream_options' in body)).toEqual([true, false, false]);
    const entry = await waitForLogEntry(gateway.dataDir, second.id);
    expect(entry).toMatchObject({ status: 200, attempts: 1, usageSource: 'tokenizer' });
    expect(entry.completionTokens).toBeGreaterThan(0);
  });

  it('sends a key’s output cap as max_tokens to a server that refuses max_completion_tokens', async () => {
    const capped = new OpenAI({ apiKey: CAPPED_KEY, baseURL: gateway.baseURL, maxRetries: 0 });
    const ask = () =>
      capped.chat.completions.create({ model: 'strict-model', messages: [{ role: 'user', content: 'hi' }] });
    const before = strictBodies.length;
    expect((await ask()).choices[0].message.content).toBe('capped');
    expect((await ask()).choices[0].message.content).toBe('capped');
    expect(strictBodies.slice(before).map((body) => [body['max_completion_tokens'], body['max_tokens']])).toEqual([
      [50, undefined],
      [undefined, 50],
      [undefined, 50],
    ]);
  });

  it("sends a caller's max_tokens as max_completion_tokens to a model that takes only the newer field", async () => {
    // A client written for older models, behind a route the operator points at a reasoning model.
    const ask = () =>
      openai.chat.completions.create({ model: 'smart', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
    const before = reasoningBodies.length;
    expect((await ask()).choices[0].message.content).toBe('It is sunny.');
    expect((await ask()).choices[0].message.content).toBe('It is sunny.');
    expect(
      reasoningBodies.slice(before).map((body) => [body['max_tokens'], body['max_completion_tokens'], body['model']]),
    ).toEqual([
      [64, undefined, 'o3'],
      [undefined, 64, 'o3'],
      [undefined, 64, 'o3'],
    ]);
    // A caller's own max_completion_tokens goes as it is.
    await openai.chat.completions.create({
      model: 'smart',
      max_completion_tokens: 32,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(reasoningBodies.at(-1)).toMatchObject({ max_completion_tokens: 32 });
  });

  it('leaves the refusal to a caller who asked for stream_options itself', async () => {
    const call = openai.chat.completions.create({
      model: 'strict-model',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    await expect(call).rejects.toMatchObject({ status: 400 });
  });

  it('streams a whole completion from a server that does not stream: content, tool call, finish and usage', async () => {
    const stream = await openai.chat.completions.create({
      model: 'whole',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'weather?' }],
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta));
    expect(deltas.map((delta) => delta.content ?? '').join('')).toBe('It is sunny.');
    expect(deltas.flatMap((delta) => delta.tool_calls ?? [])).toEqual([
      { index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
    ]);
    expect(chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.finish_reason)).at(-1)).toBe('tool_calls');
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 13, completion_tokens: 8, total_tokens: 21 });
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.id === 'chatcmpl-whole')).toBe(
      true,
    );
  });

  it('leaves usage out of the stream when the caller did not ask for it, and logs it', async () => {
    const { data: stream, response } = await openai.chat.completions
      .create({ model: 'whole', stream: true, messages: [{ role: 'user', content: 'weather?' }] })
      .withResponse();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    const entry = await waitForLogEntry(gateway.dataDir, response.headers.get('x-request-id') as string);
    expect(entry).toMatchObject({ status: 200, stream: true, promptTokens: 13, completionTokens: 8 });
  });

  it('streams it to a Responses caller too', async () => {
    const stream = openai.responses.stream({ model: 'whole', input: 'weather?' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const response = await stream.finalResponse();
    expect(deltas.join('')).toBe('It is sunny.');
    // The helper's finalResponse() adds no output_text unless it parses: read the items.
    expect(response.output).toMatchObject([
      { type: 'message', content: [{ type: 'output_text', text: 'It is sunny.' }] },
      { type: 'function_call', name: 'weather', arguments: '{"city":"Oslo"}' },
    ]);
    expect(response.usage).toMatchObject({ input_tokens: 13, output_tokens: 8 });
  });

  it('streams it to an Anthropic caller too', async () => {
    const anthropic = new Anthropic({ apiKey: KEY, baseURL: gateway.url, maxRetries: 0 });
    const stream = anthropic.messages.stream({
      model: 'whole',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'weather?' }],
    });
    const message = await stream.finalMessage();
    expect(message.content).toEqual([
      { type: 'text', text: 'It is sunny.' },
      { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Oslo' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 13, output_tokens: 8 });
  });
});
