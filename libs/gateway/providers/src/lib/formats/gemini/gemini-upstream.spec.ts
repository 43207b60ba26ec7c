import { FormatError, type JsonObject } from '../wire-format';
import { GeminiAdapter } from './gemini.adapter';
import { canonicalToGeminiRequest } from './gemini-request';
import { GeminiToCanonicalStream, geminiToCanonicalResponse, geminiUsageOf } from './gemini-response';

function chunksOf(sse: string): JsonObject[] {
  return sse
    .split('\n\n')
    .filter((e) => e.startsWith('data: ') && e !== 'data: [DONE]')
    .map((e) => JSON.parse(e.slice(6)) as JsonObject);
}

describe(canonicalToGeminiRequest.name, () => {
  it('translates system, images, tool calls and results, tools, tool_choice and generationConfig', () => {
    const native = canonicalToGeminiRequest({
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here?' },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
            { id: 'c2', type: 'function', function: { name: 'get_time', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: '4°C' },
        { role: 'tool', tool_call_id: 'c2', content: '{"time":"12:00"}' },
      ],
      tools: [
        { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object' } } },
      ],
      tool_choice: 'required',
      temperature: 0.3,
      top_p: 0.8,
      max_tokens: 100,
      stop: ['END'],
      response_format: { type: 'json_object' },
    });
    expect(native).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [
        {
          role: 'user',
          parts: [{ text: 'Weather here?' }, { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } }],
        },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'get_weather', args: { city: 'Oslo' } } },
            { functionCall: { name: 'get_time', args: {} } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { result: '4°C' } } },
            { functionResponse: { name: 'get_time', response: { time: '12:00' } } },
          ],
        },
      ],
      generationConfig: {
        temperature: 0.3,
        topP: 0.8,
        maxOutputTokens: 100,
        stopSequences: ['END'],
        responseMimeType: 'application/json',
      },
      tools: [
        {
          functionDeclarations: [
            { name: 'get_weather', description: 'Weather', parametersJsonSchema: { type: 'object' } },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
    });
    expect(
      canonicalToGeminiRequest({
        model: 'm',
        messages: [],
        tool_choice: { type: 'function', function: { name: 'f' } },
      }),
    ).toEqual({ contents: [], toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } } });
    // Only the three modes: a name of Object's own is no mode.
    expect(canonicalToGeminiRequest({ model: 'm', messages: [], tool_choice: 'constructor' })).toEqual({
      contents: [],
    });
  });

  it('refuses what Gemini cannot take, naming the field', () => {
    const url = { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/cat.png' } }] };
    expect(() => canonicalToGeminiRequest({ model: 'm', messages: [url] })).toThrow(FormatError);
    expect(() => canonicalToGeminiRequest({ model: 'm', messages: [url] })).toThrow(/base64 data URLs/);
    expect(() =>
      canonicalToGeminiRequest({ model: 'm', messages: [{ role: 'tool', tool_call_id: 'x', content: '' }] }),
    ).toThrow(/answers no earlier tool call/);
    expect(() => canonicalToGeminiRequest({ model: 'm', messages: [], n: 3 })).toThrow(/n > 1/);
    expect(() => canonicalToGeminiRequest({ model: 'm', messages: [], tools: [{ type: 'web_search' }] })).toThrow(
      /function tools/,
    );
  });
});

describe(geminiToCanonicalResponse.name, () => {
  it('maps text, thoughts, function calls, finish reasons and usage', () => {
    const answer = geminiToCanonicalResponse({
      responseId: 'r1',
      modelVersion: 'gemini-2.5-flash',
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'thinking…', thought: true },
              { text: 'Checking.' },
              { functionCall: { name: 'get_weather', args: { city: 'Oslo' } } },
            ],
          },
          finishReason: 'STOP',
        },
      ],
      usageMetadata: {
        promptTokenCount: 20,
        candidatesTokenCount: 7,
        thoughtsTokenCount: 3,
        cachedContentTokenCount: 5,
        totalTokenCount: 30,
      },
    });
    expect(answer).toMatchObject({
      id: 'r1',
      model: 'gemini-2.5-flash',
      choices: [
        {
          message: {
            content: 'Checking.',
            reasoning_content: 'thinking…',
            tool_calls: [
              { id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: {
        prompt_tokens: 20,
        completion_tokens: 10,
        total_tokens: 30,
        prompt_tokens_details: { cached_tokens: 5 },
      },
    });
    const finish = (reason: string) =>
      (
        geminiToCanonicalResponse({ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: reason }] })[
          'choices'
        ] as JsonObject[]
      )[0]?.['finish_reason'];
    expect([finish('MAX_TOKENS'), finish('SAFETY'), finish('RECITATION'), finish('STOP'), finish('OTHER')]).toEqual([
      'length',
      'content_filter',
      'content_filter',
      'stop',
      'stop',
    ]);
  });
});

describe(GeminiToCanonicalStream.name, () => {
  const events = [
    {
      candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }] } }],
      usageMetadata: { promptTokenCount: 9 },
      responseId: 'r',
      modelVersion: 'g',
    },
    { candidates: [{ content: { role: 'model', parts: [{ text: 'lo' }] } }], usageMetadata: { promptTokenCount: 9 } },
    {
      candidates: [
        { content: { role: 'model', parts: [{ functionCall: { name: 'f', args: { a: 1 } } }] }, finishReason: 'STOP' },
      ],
      usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 4, totalTokenCount: 13 },
    },
  ]
    .map((e) => `data: ${JSON.stringify(e)}\r\n\r\n`)
    .join('');

  it('turns SSE events fed a few bytes at a time into OpenAI chunks, usage from the last metadata', () => {
    const stream = new GeminiToCanonicalStream(true);
    let out = '';
    for (let i = 0; i < events.length; i += 5) out += stream.push(events.slice(i, i + 5));
    out += stream.end();
    expect(out.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = chunksOf(out);
    expect(chunks[0]).toMatchObject({ id: 'r', model: 'g', choices: [{ delta: { role: 'assistant' } }] });
    const deltas = chunks.flatMap((c) => (c['choices'] as JsonObject[]).map((ch) => ch['delta'] as JsonObject));
    expect(deltas.map((d) => d['content'] ?? '').join('')).toBe('Hello');
    expect(deltas.flatMap((d) => (d['tool_calls'] as JsonObject[]) ?? [])).toEqual([
      { index: 0, id: 'call_0', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
    ]);
    expect(chunks.at(-2)).toMatchObject({ choices: [{ finish_reason: 'tool_calls' }] });
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
    });
  });

  it('logs usage without a usage chunk when not asked; an error event ends the stream', () => {
    const quiet = new GeminiToCanonicalStream(false);
    expect(chunksOf(quiet.push(events) + quiet.end()).some((c) => 'usage' in c)).toBe(false);
    expect(quiet.usage).toMatchObject({ total_tokens: 13 });

    const failing = new GeminiToCanonicalStream(false);
    const out = failing.push('data: {"error":{"code":503,"message":"overloaded","status":"UNAVAILABLE"}}\n\n');
    expect(chunksOf(out).at(-1)).toMatchObject({
      error: { message: 'UNAVAILABLE: overloaded', code: 'upstream_stream_error' },
    });
    expect(failing.end()).toBe('');
  });
});

describe(GeminiAdapter.name, () => {
  const adapter = new GeminiAdapter();
  const target = {
    channelId: 'c',
    channelName: 'g',
    type: 'gemini' as const,
    baseUrl: 'https://g',
    apiKey: 'AIza-k',
    headers: {},
    secrets: [],
    timeouts: { connectMs: 1, firstByteMs: 1, totalMs: 1 },
  };

  it('puts the model in the path, streams with alt=sse, and sends the key as x-goog-api-key', () => {
    expect(adapter.pathFor('chat.completions', 'gemini-2.5-flash', target, false)).toBe(
      '/v1beta/models/gemini-2.5-flash:generateContent',
    );
    expect(adapter.pathFor('chat.completions', 'models/gemini-2.5-pro', target, true)).toBe(
      '/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse',
    );
    expect(adapter.headersFor(target)['x-goog-api-key']).toBe('AIza-k');
    expect(adapter.headersFor(target)['authorization']).toBeUndefined();
    expect(adapter.healthPath).toBe('/v1beta/models');
    expect(adapter.supports('embeddings')).toBe(true);
    expect(adapter.supports('completions')).toBe(false);
    expect(adapter.pathFor('embeddings', 'gemini-embedding-001', target, false)).toBe(
      '/v1beta/models/gemini-embedding-001:batchEmbedContents',
    );
  });

  it('encodes any model name a caller sends into the path, a lone surrogate included (a URIError before)', () => {
    expect(adapter.pathFor('chat.completions', 'gem\ud800/x', target, false)).toBe(
      '/v1beta/models/gem%EF%BF%BD%2Fx:generateContent',
    );
  });

  it("reads the retry delay from a 429's RetryInfo", () => {
    const body = JSON.stringify({
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        message: 'quota',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12.5s' }],
      },
    });
    expect(adapter.retryAfterFrom(body)).toBe('13');
    expect(adapter.retryAfterFrom('{"error":{"code":500}}')).toBeUndefined();
    expect(adapter.retryAfterFrom('not json')).toBeUndefined();
  });
});

describe(geminiUsageOf.name, () => {
  it('counts thoughts as output and the prompts of Gemini-run tools as input', () => {
    expect(
      geminiUsageOf({
        promptTokenCount: 20,
        toolUsePromptTokenCount: 5,
        candidatesTokenCount: 7,
        thoughtsTokenCount: 3,
        cachedContentTokenCount: 4,
        totalTokenCount: 35,
      }),
    ).toEqual({
      prompt_tokens: 25,
      completion_tokens: 10,
      total_tokens: 35,
      prompt_tokens_details: { cached_tokens: 4 },
    });
  });
});
