import { anthropicErrorOf, canonicalToAnthropic } from './anthropic-response';

describe(canonicalToAnthropic.name, () => {
  it('maps text, reasoning, tool calls, finish reason and usage (cached tokens apart)', () => {
    const message = canonicalToAnthropic(
      {
        id: 'chatcmpl-abc.1',
        model: 'gpt-x',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: 'Let me check.',
              reasoning_content: 'The user wants weather.',
              tool_calls: [
                { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
                { id: 'call_2', type: 'function', function: { name: 'broken', arguments: '{"city"' } },
              ],
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage: {
          prompt_tokens: 30,
          completion_tokens: 7,
          total_tokens: 37,
          prompt_tokens_details: { cached_tokens: 10 },
        },
      },
      'claude-x',
    );
    expect(message).toEqual({
      id: 'msg_chatcmpl-abc1',
      type: 'message',
      role: 'assistant',
      model: 'gpt-x',
      content: [
        { type: 'thinking', thinking: 'The user wants weather.', signature: '' },
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Oslo' } },
        { type: 'tool_use', id: 'call_2', name: 'broken', input: { _raw_arguments: '{"city"' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 20, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 10 },
    });
  });

  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['content_filter', 'refusal'],
    [null, 'end_turn'],
  ])('maps finish_reason %j to stop_reason %j', (finish, stop) => {
    const message = canonicalToAnthropic({ choices: [{ message: { content: 'x' }, finish_reason: finish }] }, 'm');
    expect(message['stop_reason']).toBe(stop);
    expect(message['model']).toBe('m');
  });

  it('gives a refusal as text, and no blocks for an empty answer', () => {
    expect(canonicalToAnthropic({ choices: [{ message: { content: null, refusal: 'No.' } }] }, 'm')['content']).toEqual(
      [{ type: 'text', text: 'No.' }],
    );
    expect(canonicalToAnthropic({ choices: [] }, 'm')['content']).toEqual([]);
  });
});

describe(anthropicErrorOf.name, () => {
  it.each([
    [400, 400, 'invalid_request_error'],
    [401, 401, 'authentication_error'],
    [403, 403, 'permission_error'],
    [404, 404, 'not_found_error'],
    [413, 413, 'request_too_large'],
    [429, 429, 'rate_limit_error'],
    [500, 500, 'api_error'],
    [502, 500, 'api_error'],
    [503, 529, 'overloaded_error'],
    [504, 504, 'timeout_error'],
  ])('maps %d to %d %s', (status, expectedStatus, type) => {
    expect(anthropicErrorOf(status)).toEqual({ status: expectedStatus, type });
  });
});
