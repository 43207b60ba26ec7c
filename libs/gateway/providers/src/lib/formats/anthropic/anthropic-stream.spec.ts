import { AnthropicStreamTranscoder } from './anthropic-stream';

const chunk = (body: object) => `data: ${JSON.stringify({ id: 'chatcmpl-1', model: 'gpt-x', ...body })}\n\n`;
const delta = (d: object, finish: string | null = null) =>
  chunk({ choices: [{ index: 0, delta: d, finish_reason: finish }] });

/** The events of an Anthropic stream, as the SDKs read them: the event name and its data. */
function events(text: string): { event: string; data: Record<string, unknown> }[] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      const data = JSON.parse(dataLine.slice('data: '.length));
      expect(eventLine).toBe(`event: ${data.type}`);
      return { event: eventLine.slice('event: '.length), data };
    });
}

/** Feeds the stream one character at a time: every line is split somewhere. */
function byCharacter(transcoder: AnthropicStreamTranscoder, text: string): string {
  let out = '';
  for (const c of text) out += transcoder.push(c);
  return out + transcoder.end();
}

describe(AnthropicStreamTranscoder.name, () => {
  const upstream = [
    delta({ role: 'assistant', content: '' }),
    delta({ reasoning_content: 'Think' }),
    delta({ reasoning_content: 'ing.' }),
    delta({ content: 'Let me ' }),
    delta({ content: 'check.' }),
    delta({
      tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }],
    }),
    delta({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
    delta({ tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }),
    delta({ tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'time', arguments: '{}' } }] }),
    delta({}, 'tool_calls'),
    chunk({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 } }),
    'data: [DONE]\n\n',
  ].join('');

  it('emits the full event sequence, whole or fed character by character', () => {
    const whole = new AnthropicStreamTranscoder('claude-x');
    const all = whole.push(upstream) + whole.end();
    expect(byCharacter(new AnthropicStreamTranscoder('claude-x'), upstream)).toBe(all);
    const list = events(all);
    expect(list.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(list[0].data['message']).toMatchObject({
      id: 'msg_chatcmpl-1',
      model: 'gpt-x',
      content: [],
      stop_reason: null,
    });
    expect(list[2].data).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'thinking', thinking: '', signature: '' },
    });
    expect(list[3].data).toEqual({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'thinking_delta', thinking: 'Think' },
    });
    expect(list[7].data).toEqual({
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'text_delta', text: 'Let me ' },
    });
    expect(list[10].data).toEqual({
      type: 'content_block_start',
      index: 2,
      content_block: { type: 'tool_use', id: 'call_1', name: 'get_weather', input: {} },
    });
    expect(list[12].data).toEqual({
      type: 'content_block_delta',
      index: 2,
      delta: { type: 'input_json_delta', partial_json: '"Oslo"}' },
    });
    expect(list[14].data['content_block']).toMatchObject({ type: 'tool_use', id: 'call_2', name: 'time' });
    expect(list[16].data).toEqual({ type: 'content_block_stop', index: 3 });
    expect(list[17].data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 12, output_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('closes a stream that ends without [DONE] or usage, with the finish reason seen', () => {
    const transcoder = new AnthropicStreamTranscoder('claude-x');
    const list = events(transcoder.push(delta({ content: 'Hi' }) + delta({}, 'length')) + transcoder.end());
    expect(list.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(list[5].data['delta']).toEqual({ stop_reason: 'max_tokens', stop_sequence: null });
    expect(list[0].data['message']).toMatchObject({ model: 'gpt-x' });
  });

  it('ends with an error event when the upstream breaks off or reports an error in the stream', () => {
    const broken = new AnthropicStreamTranscoder('claude-x');
    broken.push(delta({ content: 'Hi' }));
    expect(events(broken.fail('The upstream broke off the stream.'))).toEqual([
      {
        event: 'error',
        data: { type: 'error', error: { type: 'api_error', message: 'The upstream broke off the stream.' } },
      },
    ]);
    expect(broken.end()).toBe('');

    const reported = new AnthropicStreamTranscoder('claude-x');
    const list = events(
      reported.push(delta({ content: 'Hi' }) + 'data: {"error":{"message":"overloaded"}}\n\n') + reported.end(),
    );
    expect(list.at(-1)).toEqual({
      event: 'error',
      data: { type: 'error', error: { type: 'api_error', message: 'overloaded' } },
    });
  });

  it('still sends message_start and message_stop for an empty stream', () => {
    const transcoder = new AnthropicStreamTranscoder('claude-x');
    const list = events(transcoder.push('data: [DONE]\n\n') + transcoder.end());
    expect(list.map((e) => e.event)).toEqual(['message_start', 'ping', 'message_delta', 'message_stop']);
    expect(list[0].data['message']).toMatchObject({ model: 'claude-x' });
  });
});
