import { AnthropicNativeTap } from './anthropic-native-tap';

const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

describe(AnthropicNativeTap.name, () => {
  it('reads the usage of a streamed answer, whatever the chunk boundaries', () => {
    const stream =
      event('message_start', {
        message: {
          usage: { input_tokens: 10, cache_read_input_tokens: 5, cache_creation_input_tokens: 2, output_tokens: 1 },
        },
      }) +
      event('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } }) +
      event('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7 } }) +
      event('message_stop', {});
    const tap = new AnthropicNativeTap();
    for (let i = 0; i < stream.length; i += 13) tap.push(stream.slice(i, i + 13));
    expect(tap.usage).toEqual({
      prompt_tokens: 17,
      completion_tokens: 7,
      total_tokens: 24,
      prompt_tokens_details: { cached_tokens: 5 },
    });
  });

  it('takes the final input counts a message_delta restates', () => {
    const tap = new AnthropicNativeTap();
    tap.push(event('message_start', { message: { usage: { input_tokens: 3, output_tokens: 1 } } }));
    tap.push(event('message_delta', { usage: { input_tokens: 30, output_tokens: 4 } }));
    expect(tap.usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 4, total_tokens: 34 });
  });

  it('reads a complete answer, and has no usage before any', () => {
    const tap = new AnthropicNativeTap();
    expect(tap.usage).toBeUndefined();
    tap.json({ type: 'message', usage: { input_tokens: 4, output_tokens: 2 } });
    expect(tap.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 });
  });

  it("tells a caller of a broken stream in Anthropic's error event", () => {
    const text = new AnthropicNativeTap().fail('upstream reset');
    expect(text.startsWith('event: error\ndata: ')).toBe(true);
    expect(JSON.parse(text.slice(text.indexOf('{')))).toMatchObject({
      type: 'error',
      error: { type: 'api_error', message: 'upstream reset' },
    });
  });
});
