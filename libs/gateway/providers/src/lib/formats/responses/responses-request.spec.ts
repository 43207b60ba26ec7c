import { FormatError } from '../wire-format';
import { echoOf, responsesToCanonical } from './responses-request';

const WEATHER = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: true,
};

function refusal(body: unknown): FormatError {
  try {
    responsesToCanonical(body);
  } catch (error) {
    if (error instanceof FormatError) return error;
    throw error;
  }
  throw new Error('expected a FormatError');
}

describe(responsesToCanonical.name, () => {
  it('turns a string input and instructions into system and user messages', () => {
    const canonical = responsesToCanonical({ model: 'gpt-x', instructions: 'Be brief.', input: 'Hi' });
    // The echo is invisible to JSON: no upstream sees it.
    expect(JSON.parse(JSON.stringify(canonical))).toEqual({
      model: 'gpt-x',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
    expect(echoOf(canonical)).toMatchObject({ instructions: 'Be brief.', tools: [], tool_choice: 'auto' });
  });

  it('translates message items with images and files, and a function call round trip', () => {
    const canonical = responsesToCanonical({
      model: 'gpt-x',
      input: [
        { role: 'developer', content: 'Use tools.' },
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'Weather where this is?' },
            { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' },
            { type: 'input_file', filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBE' },
          ],
        },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { type: 'function_call', call_id: 'call_2', name: 'get_weather', arguments: '{"city":"Bergen"}' },
        { type: 'reasoning', id: 'rs_1', summary: [] },
        { type: 'function_call_output', call_id: 'call_1', output: '4°C' },
        {
          type: 'function_call_output',
          call_id: 'call_2',
          output: [
            { type: 'input_text', text: 'rain, ' },
            { type: 'input_text', text: '9°C' },
            { type: 'input_image', image_url: 'https://example.com/radar.png' },
          ],
        },
        { role: 'user', content: 'And tomorrow?' },
      ],
      tools: [WEATHER],
      tool_choice: { type: 'function', name: 'get_weather' },
      parallel_tool_calls: false,
    });
    expect(canonical['messages']).toEqual([
      { role: 'developer', content: 'Use tools.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather where this is?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
          { type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBE' } },
        ],
      },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Bergen"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '4°C' },
      { role: 'tool', tool_call_id: 'call_2', content: 'rain, 9°C' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/radar.png' } }] },
      { role: 'user', content: 'And tomorrow?' },
    ]);
    expect(canonical['tools']).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Current weather',
          parameters: WEATHER.parameters,
          strict: true,
        },
      },
    ]);
    expect(canonical['tool_choice']).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(canonical['parallel_tool_calls']).toBe(false);
  });

  it('maps sampling, output cap, text.format, reasoning, user and streaming', () => {
    const canonical = responsesToCanonical({
      model: 'gpt-x',
      input: 'x',
      max_output_tokens: 300,
      temperature: 0.3,
      top_p: 0.8,
      text: {
        format: { type: 'json_schema', name: 'city', schema: { type: 'object' }, strict: true },
        verbosity: 'low',
      },
      reasoning: { effort: 'high', summary: 'auto' },
      user: 'u-1',
      metadata: { team: 'blue' },
      store: true,
      stream: true,
      include: ['reasoning.encrypted_content'],
      truncation: 'auto',
    });
    expect(canonical).toMatchObject({
      max_completion_tokens: 300,
      temperature: 0.3,
      top_p: 0.8,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'city', schema: { type: 'object' }, strict: true },
      },
      verbosity: 'low',
      reasoning_effort: 'high',
      user: 'u-1',
      stream: true,
      stream_options: { include_usage: true },
    });
    // Neither store nor metadata reach the upstream (OpenAI refuses chat metadata without store).
    expect(canonical).not.toHaveProperty('store');
    expect(canonical).not.toHaveProperty('metadata');
    expect(echoOf(canonical)).toMatchObject({ metadata: { team: 'blue' }, max_output_tokens: 300 });
    expect(
      responsesToCanonical({ model: 'm', input: 'x', text: { format: { type: 'json_object' } } })['response_format'],
    ).toEqual({ type: 'json_object' });
    expect(responsesToCanonical({ model: 'm', input: 'x', text: { format: { type: 'text' } } })).not.toHaveProperty(
      'response_format',
    );
  });

  it('translates allowed_tools choices', () => {
    const canonical = responsesToCanonical({
      model: 'm',
      input: 'x',
      tools: [WEATHER],
      tool_choice: { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'get_weather' }] },
    });
    expect(canonical['tool_choice']).toEqual({
      type: 'allowed_tools',
      allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'get_weather' } }] },
    });
  });

  it.each([
    [{ input: 'x' }, 'model', /Missing required parameter: 'model'/],
    [{ model: 'm' }, 'input', /Missing required parameter: 'input'/],
    [{ model: 'm', input: [] }, 'input', /at least one/],
    [{ model: 'm', input: 'x', previous_response_id: 'resp_1' }, 'previous_response_id', /does not store/],
    [{ model: 'm', input: 'x', conversation: 'conv_1' }, 'conversation', /does not store/],
    [{ model: 'm', input: 'x', background: true }, 'background', /storage/],
    [{ model: 'm', input: 'x', tools: [{ type: 'web_search' }] }, 'tools[0].type', /'web_search' runs on OpenAI/],
    [{ model: 'm', input: 'x', tools: [{ type: 'file_search', vector_store_ids: [] }] }, 'tools[0].type', /only/],
    [{ model: 'm', input: 'x', tool_choice: { type: 'web_search_preview' } }, 'tool_choice.type', /not available/],
    [{ model: 'm', input: [{ type: 'item_reference', id: 'msg_1' }] }, 'input[0].type', /stored responses/],
    [
      { model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'f' }] }] },
      'input[0].content[0].image_url',
      /image_url/,
    ],
    [{ model: 'm', input: [{ role: 'tool', content: 'x' }] }, 'input[0].role', /must be one of/],
    [{ model: 'm', input: 'x', max_output_tokens: 0 }, 'max_output_tokens', /positive integer/],
    [{ model: 'm', input: 'x', stream: 'yes' }, 'stream', /boolean/],
    [{ model: 'm', input: 'x', metadata: { n: 1 } }, 'metadata', /string values/],
    [{ model: 'm', input: 'x', text: { format: { type: 'xml' } } }, 'text.format.type', /must be one of/],
  ])('refuses %j naming %s', (body, param, message) => {
    const error = refusal(body);
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
  });
});
