import { FormatError, type JsonObject } from '../wire-format';
import { OllamaAdapter } from './ollama.adapter';
import { canonicalToOllamaRequest } from './ollama-request';
import { OllamaToCanonicalStream, ollamaToCanonicalResponse } from './ollama-response';

function chunksOf(sse: string): JsonObject[] {
  return sse
    .split('\n\n')
    .filter((e) => e.startsWith('data: ') && e !== 'data: [DONE]')
    .map((e) => JSON.parse(e.slice(6)) as JsonObject);
}

describe(canonicalToOllamaRequest.name, () => {
  it('translates messages, images, tool history, tools, options and response_format', () => {
    const native = canonicalToOllamaRequest({
      model: 'llama3.2',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_9', content: '4°C' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 50,
      stop: 'END',
      seed: 7,
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } },
    });
    expect(native).toEqual({
      model: 'llama3.2',
      stream: false,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is this?', images: ['iVBORw0KGgo='] },
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Oslo' } } }],
        },
        { role: 'tool', content: '4°C', tool_name: 'get_weather' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      options: { temperature: 0.2, top_p: 0.9, num_predict: 50, stop: ['END'], seed: 7 },
      format: { type: 'object' },
    });
    expect(
      canonicalToOllamaRequest({ model: 'm', messages: [], stream: true, response_format: { type: 'json_object' } }),
    ).toEqual({
      model: 'm',
      messages: [],
      stream: true,
      format: 'json',
    });
  });

  it("passes reasoning_effort on as Ollama's think level, and none as think: false", () => {
    expect(canonicalToOllamaRequest({ model: 'gpt-oss', messages: [], reasoning_effort: 'high' })['think']).toBe(
      'high',
    );
    expect(canonicalToOllamaRequest({ model: 'qwen3', messages: [], reasoning_effort: 'none' })['think']).toBe(false);
    expect(canonicalToOllamaRequest({ model: 'm', messages: [], reasoning_effort: 'minimal' })).not.toHaveProperty(
      'think',
    );
  });

  it('refuses what Ollama cannot take, naming the field', () => {
    const image = { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/cat.png' } }] };
    expect(() => canonicalToOllamaRequest({ model: 'm', messages: [image] })).toThrow(FormatError);
    expect(() => canonicalToOllamaRequest({ model: 'm', messages: [image] })).toThrow(/base64 data URLs/);
    expect(() => canonicalToOllamaRequest({ model: 'm', messages: [], n: 2 })).toThrow(/n > 1/);
    expect(() => canonicalToOllamaRequest({ model: 'm' })).toThrow(/messages/);
    const badArgs = { role: 'assistant', tool_calls: [{ id: 'a', function: { name: 'f', arguments: '{' } }] };
    expect(() => canonicalToOllamaRequest({ model: 'm', messages: [badArgs] })).toThrow(/arguments: must be JSON/);
  });
});

describe(ollamaToCanonicalResponse.name, () => {
  it('maps text, thinking, tool calls, finish reason and usage', () => {
    const answer = ollamaToCanonicalResponse({
      model: 'llama3.2',
      created_at: '2025-01-01T00:00:00Z',
      message: {
        role: 'assistant',
        content: '',
        thinking: 'hmm',
        tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Oslo' } } }],
      },
      done: true,
      done_reason: 'stop',
      prompt_eval_count: 26,
      eval_count: 12,
    });
    expect(answer).toMatchObject({
      object: 'chat.completion',
      model: 'llama3.2',
      choices: [
        {
          message: {
            role: 'assistant',
            content: null,
            reasoning_content: 'hmm',
            tool_calls: [
              { id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 26, completion_tokens: 12, total_tokens: 38 },
    });
    const withId = ollamaToCanonicalResponse({
      model: 'm',
      message: { content: '', tool_calls: [{ id: 'call_abc', function: { name: 'f', arguments: {} } }] },
      done: true,
    });
    expect(withId).toMatchObject({ choices: [{ message: { tool_calls: [{ id: 'call_abc' }] } }] });
    const cut = ollamaToCanonicalResponse({
      model: 'm',
      message: { content: 'Hi' },
      done: true,
      done_reason: 'length',
    });
    expect(cut).toMatchObject({ choices: [{ message: { content: 'Hi' }, finish_reason: 'length' }] });
  });
});

describe(OllamaToCanonicalStream.name, () => {
  const NDJSON = [
    { model: 'llama3.2', created_at: 't', message: { role: 'assistant', content: 'Hel' }, done: false },
    { model: 'llama3.2', created_at: 't', message: { role: 'assistant', content: 'lo' }, done: false },
    {
      model: 'llama3.2',
      created_at: 't',
      message: { role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: { a: 1 } } }] },
      done: false,
    },
    {
      model: 'llama3.2',
      created_at: 't',
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'stop',
      prompt_eval_count: 5,
      eval_count: 3,
    },
  ]
    .map((line) => JSON.stringify(line) + '\n')
    .join('');

  it('turns NDJSON fed a few bytes at a time into OpenAI chunks, with usage when asked', () => {
    const stream = new OllamaToCanonicalStream(true);
    let out = '';
    for (let i = 0; i < NDJSON.length; i += 7) out += stream.push(NDJSON.slice(i, i + 7));
    out += stream.end();
    expect(out.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = chunksOf(out);
    expect(chunks[0]).toMatchObject({
      object: 'chat.completion.chunk',
      model: 'llama3.2',
      choices: [{ delta: { role: 'assistant' } }],
    });
    const choices = chunks.flatMap((c) => (c['choices'] as JsonObject[]).map((ch) => ch['delta'] as JsonObject));
    expect(choices.map((d) => d['content'] ?? '').join('')).toBe('Hello');
    expect(choices.flatMap((d) => (d['tool_calls'] as JsonObject[]) ?? [])).toEqual([
      { index: 0, id: 'call_0', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
    ]);
    expect(chunks.at(-2)).toMatchObject({ choices: [{ finish_reason: 'tool_calls' }] });
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
    });
    expect(stream.usage).toEqual({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
  });

  it('keeps usage for the log without a usage chunk when not asked', () => {
    const stream = new OllamaToCanonicalStream(false);
    const out = stream.push(NDJSON) + stream.end();
    expect(chunksOf(out).some((c) => 'usage' in c)).toBe(false);
    expect(stream.usage).toMatchObject({ total_tokens: 8 });
  });

  it('turns an error line into the in-stream error and stops', () => {
    const stream = new OllamaToCanonicalStream(false);
    const out = stream.push(
      '{"model":"m","message":{"content":"a"},"done":false}\n{"error":"model crashed"}\n{"message":{"content":"b"}}\n',
    );
    const chunks = chunksOf(out);
    expect(chunks.at(-1)).toEqual({
      error: { message: 'model crashed', type: 'server_error', param: null, code: 'upstream_stream_error' },
    });
    expect(stream.end()).toBe('');
  });

  it('ends a cut stream cleanly, and fail() once', () => {
    const stream = new OllamaToCanonicalStream(false);
    stream.push('{"model":"m","message":{"content":"a"},"done":false}');
    expect(stream.end()).toContain('"content":"a"');
    const broken = new OllamaToCanonicalStream(false);
    expect(broken.fail('reset')).toContain('reset');
    expect(broken.fail('again')).toBe('');
  });
});

describe(OllamaAdapter.name, () => {
  const adapter = new OllamaAdapter();
  const target = {
    channelId: 'c',
    channelName: 'o',
    type: 'ollama' as const,
    baseUrl: 'http://h:11434',
    apiKey: null,
    headers: {},
    secrets: [],
    timeouts: { connectMs: 1, firstByteMs: 1, totalMs: 1 },
  };

  it('speaks /api/chat and /api/embed, checks /api/tags, and sends a key as Bearer only when there is one', () => {
    expect(adapter.supports('chat.completions')).toBe(true);
    expect(adapter.supports('embeddings')).toBe(true);
    expect(adapter.supports('completions')).toBe(false);
    expect(adapter.pathFor('chat.completions')).toBe('/api/chat');
    expect(adapter.pathFor('embeddings')).toBe('/api/embed');
    expect(adapter.healthPath).toBe('/api/tags');
    expect(adapter.headersFor(target)['authorization']).toBeUndefined();
    expect(adapter.headersFor({ ...target, apiKey: 'k' })['authorization']).toBe('Bearer k');
  });
});
