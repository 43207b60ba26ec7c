import { FormatError } from '../wire-format';
import { anthropicToCanonical } from './anthropic-request';

const base = { model: 'claude-x', max_tokens: 100 };

function error(body: unknown): FormatError {
  try {
    anthropicToCanonical(body);
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error('expected a FormatError');
}

describe(anthropicToCanonical.name, () => {
  it('maps system, text, stop sequences, sampling, metadata and streaming', () => {
    const out = anthropicToCanonical({
      ...base,
      system: [
        { type: 'text', text: 'Be brief.' },
        { type: 'text', text: 'Be kind.', cache_control: { type: 'ephemeral' } },
      ],
      messages: [{ role: 'user', content: 'Hi' }],
      stop_sequences: ['END'],
      temperature: 0.5,
      top_p: 0.9,
      top_k: 5,
      metadata: { user_id: 'u-1' },
      stream: true,
    });
    expect(out).toEqual({
      model: 'claude-x',
      max_tokens: 100,
      messages: [
        { role: 'system', content: 'Be brief.\nBe kind.' },
        { role: 'user', content: 'Hi' },
      ],
      stop: ['END'],
      temperature: 0.5,
      top_p: 0.9,
      user: 'u-1',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('maps images (base64 and URL) and documents to OpenAI content parts', () => {
    const out = anthropicToCanonical({
      ...base,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBER' } },
          ],
        },
      ],
    });
    expect(out['messages']).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBOR' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          { type: 'file', file: { filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBER' } },
        ],
      },
    ]);
  });

  it('maps a tool loop: tools, tool_choice, tool_use and tool_result (errors and images too)', () => {
    const out = anthropicToCanonical({
      ...base,
      tools: [
        { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: {} } },
        { name: 'no_schema' },
      ],
      tool_choice: { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true },
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 'sig' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Bergen' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '4°C' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_2',
              is_error: true,
              content: [
                { type: 'text', text: 'station down' },
                { type: 'image', source: { type: 'url', url: 'https://example.com/map.png' } },
              ],
            },
            { type: 'text', text: 'And tomorrow?' },
          ],
        },
      ],
    });
    expect(out['tools']).toEqual([
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} } },
      },
      { type: 'function', function: { name: 'no_schema', parameters: { type: 'object', properties: {} } } },
    ]);
    expect(out['tool_choice']).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(out['parallel_tool_calls']).toBe(false);
    expect(out['messages']).toEqual([
      { role: 'user', content: 'Weather in Oslo?' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Bergen"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: '4°C' },
      { role: 'tool', tool_call_id: 'toolu_2', content: 'Error: station down' },
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'https://example.com/map.png' } },
          { type: 'text', text: 'And tomorrow?' },
        ],
      },
    ]);
  });

  it.each([
    [{ type: 'auto' }, 'auto'],
    [{ type: 'any' }, 'required'],
    [{ type: 'none' }, 'none'],
  ])('maps tool_choice %j to %j', (choice, expected) => {
    const out = anthropicToCanonical({ ...base, messages: [{ role: 'user', content: 'x' }], tool_choice: choice });
    expect(out['tool_choice']).toBe(expected);
  });

  it('refuses what the Messages API refuses, naming the field', () => {
    const messages = [{ role: 'user', content: 'x' }];
    expect(error({ model: 'm', messages })).toMatchObject({
      message: 'max_tokens: Field required',
      param: 'max_tokens',
    });
    expect(error({ max_tokens: 1, messages }).param).toBe('model');
    expect(error({ ...base }).param).toBe('messages');
    expect(error({ ...base, messages: [] }).param).toBe('messages');
    expect(error({ ...base, max_tokens: 0, messages }).param).toBe('max_tokens');
    expect(error({ ...base, messages: [{ role: 'system', content: 'x' }] }).param).toBe('messages.0.role');
    expect(error({ ...base, messages: [{ role: 'user', content: [{ type: 'tool_use' }] }] }).param).toBe(
      'messages.0.content.0.type',
    );
    expect(
      error({ ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file' } }] }] }).param,
    ).toBe('messages.0.content.0.source.type');
    expect(error({ ...base, messages, tools: [{ type: 'web_search_20250305', name: 'web' }] }).param).toBe(
      'tools.0.type',
    );
    expect(error({ ...base, messages, tool_choice: { type: 'maybe' } }).param).toBe('tool_choice.type');
    expect(error({ ...base, messages, stream: 'yes' }).param).toBe('stream');
    expect(error([]).param).toBeNull();
  });
});
