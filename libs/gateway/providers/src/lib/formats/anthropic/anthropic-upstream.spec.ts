import { FormatError } from '../wire-format';
import { AnthropicAdapter } from './anthropic.adapter';
import { canonicalToAnthropicRequest } from './anthropic-upstream-request';
import { AnthropicToCanonicalStream, anthropicToCanonicalResponse } from './anthropic-upstream-response';

describe(canonicalToAnthropicRequest.name, () => {
  it('maps system, images, tool calls, tool results, tools, tool_choice and sampling', () => {
    const out = canonicalToAnthropicRequest({
      model: 'claude-x',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Use metric.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBOR' } },
            { type: 'image_url', image_url: { url: 'https://example.com/a.jpg', detail: 'high' } },
          ],
        },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '4°C' },
        { role: 'user', content: 'Thanks; tomorrow?' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather' } }],
      tool_choice: 'required',
      parallel_tool_calls: false,
      stop: 'END',
      temperature: 1.7,
      top_p: 0.5,
      user: 'u-1',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(out).toEqual({
      model: 'claude-x',
      system: 'Be brief.\n\nUse metric.',
      max_tokens: 4096,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Oslo' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: '4°C' },
            { type: 'text', text: 'Thanks; tomorrow?' },
          ],
        },
      ],
      tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: {} } }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      stop_sequences: ['END'],
      temperature: 1,
      top_p: 0.5,
      metadata: { user_id: 'u-1' },
      stream: true,
    });
  });

  it('takes max_completion_tokens first, then max_tokens', () => {
    const messages = [{ role: 'user', content: 'x' }];
    expect(
      canonicalToAnthropicRequest({ model: 'm', messages, max_completion_tokens: 5, max_tokens: 9 })['max_tokens'],
    ).toBe(5);
    expect(canonicalToAnthropicRequest({ model: 'm', messages, max_tokens: 9 })['max_tokens']).toBe(9);
  });

  it('refuses what Anthropic cannot take', () => {
    expect(() => canonicalToAnthropicRequest({ model: 'm', n: 2, messages: [{ role: 'user', content: 'x' }] })).toThrow(
      FormatError,
    );
    expect(() =>
      canonicalToAnthropicRequest({ model: 'm', messages: [{ role: 'user', content: [{ type: 'input_audio' }] }] }),
    ).toThrow(FormatError);
    expect(() =>
      canonicalToAnthropicRequest({
        model: 'm',
        messages: [{ role: 'assistant', tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{oops' } }] }],
      }),
    ).toThrow(FormatError);
  });
});

describe(anthropicToCanonicalResponse.name, () => {
  it('maps text, thinking, tool_use, stop_reason and usage with cache reads', () => {
    const out = anthropicToCanonicalResponse({
      id: 'msg_1',
      type: 'message',
      model: 'claude-x',
      content: [
        { type: 'thinking', thinking: 'Hmm.', signature: 's' },
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } },
      ],
      stop_reason: 'tool_use',
      usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 20, cache_creation_input_tokens: 2 },
    });
    expect(out).toMatchObject({
      id: 'msg_1',
      object: 'chat.completion',
      model: 'claude-x',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Let me check.',
            reasoning_content: 'Hmm.',
            tool_calls: [
              { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: {
        prompt_tokens: 32,
        completion_tokens: 5,
        total_tokens: 37,
        prompt_tokens_details: { cached_tokens: 20 },
      },
    });
  });
});

describe(AnthropicToCanonicalStream.name, () => {
  const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const native = [
    ev('message_start', {
      message: { id: 'msg_1', model: 'claude-x', content: [], usage: { input_tokens: 12, output_tokens: 1 } },
    }),
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ev('ping', {}),
    ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Let me ' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'check.' } }),
    ev('content_block_stop', { index: 0 }),
    ev('content_block_start', {
      index: 1,
      content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} },
    }),
    ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '' } }),
    ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"city":' } }),
    ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '"Oslo"}' } }),
    ev('content_block_stop', { index: 1 }),
    ev('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 41 } }),
    ev('message_stop', {}),
  ].join('');

  function chunks(text: string): Record<string, unknown>[] {
    const datas = text
      .split('\n\n')
      .filter(Boolean)
      .map((block) => block.replace(/^data: /, ''));
    expect(datas.pop()).toBe('[DONE]');
    return datas.map((d) => JSON.parse(d));
  }

  it('gives OpenAI chunks, whole or fed character by character, with usage when asked', () => {
    const whole = new AnthropicToCanonicalStream(true);
    const all = whole.push(native) + whole.end();
    const byChar = new AnthropicToCanonicalStream(true);
    let pieces = '';
    for (const c of native) pieces += byChar.push(c);
    expect(pieces + byChar.end()).toBe(all);
    const list = chunks(all);
    const deltas = list.map((c) => (c['choices'] as { delta?: unknown }[])[0]?.delta);
    expect(deltas).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Let me ' },
      { content: 'check.' },
      { tool_calls: [{ index: 0, id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] },
      {},
      undefined,
    ]);
    expect((list[6]['choices'] as { finish_reason: string }[])[0].finish_reason).toBe('tool_calls');
    expect(list[7]).toMatchObject({
      id: 'msg_1',
      model: 'claude-x',
      choices: [],
      usage: { prompt_tokens: 12, completion_tokens: 41, total_tokens: 53 },
    });
    expect(whole.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 41 });
  });

  it('leaves the usage chunk out when not asked, but still knows the usage', () => {
    const transcoder = new AnthropicToCanonicalStream(false);
    const list = chunks(transcoder.push(native) + transcoder.end());
    expect(list.every((c) => (c['choices'] as unknown[]).length === 1)).toBe(true);
    expect(transcoder.usage).toMatchObject({ total_tokens: 53 });
  });

  it('turns an error event into an OpenAI error in the stream, and ends a cut stream with [DONE]', () => {
    const failing = new AnthropicToCanonicalStream(false);
    const out = failing.push(ev('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }));
    expect(JSON.parse(out.replace(/^data: /, ''))).toMatchObject({
      error: { message: 'overloaded_error: Overloaded' },
    });
    expect(failing.end()).toBe('');
    const cut = new AnthropicToCanonicalStream(false);
    expect(cut.push(native.slice(0, 300)) + cut.end()).toMatch(/data: \[DONE\]\n\n$/);
  });
});

describe(AnthropicAdapter.name, () => {
  it('sends the key as x-api-key with anthropic-version, channel headers winning', () => {
    const adapter = new AnthropicAdapter();
    const target = { apiKey: 'sk-ant-1', headers: { 'anthropic-beta': 'b1' } } as never;
    expect(adapter.headersFor(target)).toEqual({
      'user-agent': 'SynapseHub',
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'b1',
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'x-api-key': 'sk-ant-1',
    });
    expect(adapter.pathFor()).toBe('/v1/messages');
    expect(adapter.supports('chat.completions')).toBe(true);
    expect(adapter.supports('embeddings')).toBe(false);
  });
});
