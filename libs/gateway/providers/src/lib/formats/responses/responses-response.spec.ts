import { responsesToCanonical } from './responses-request';
import { canonicalToResponses, responsesUsageOf } from './responses-response';

describe(canonicalToResponses.name, () => {
  const request = responsesToCanonical({
    model: 'gpt-x',
    instructions: 'Be brief.',
    input: 'Weather?',
    tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }],
    metadata: { team: 'blue' },
    temperature: 0.5,
  });

  it('turns text and tool calls into output items, and repeats the request settings', () => {
    const response = canonicalToResponses(
      {
        id: 'chatcmpl-abc.1',
        object: 'chat.completion',
        created: 1767225600,
        model: 'gpt-x-2026',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: 'Checking.',
              reasoning_content: 'Need a tool.',
              tool_calls: [
                { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
              ],
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage: {
          prompt_tokens: 30,
          completion_tokens: 12,
          total_tokens: 42,
          prompt_tokens_details: { cached_tokens: 10 },
          completion_tokens_details: { reasoning_tokens: 4 },
        },
      },
      'gpt-x',
      request,
    );
    expect(response).toMatchObject({
      id: 'resp_chatcmpl-abc1',
      object: 'response',
      created_at: 1767225600,
      status: 'completed',
      model: 'gpt-x-2026',
      error: null,
      incomplete_details: null,
      instructions: 'Be brief.',
      temperature: 0.5,
      metadata: { team: 'blue' },
      tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }],
      store: false,
      output: [
        { type: 'reasoning', id: 'rs_chatcmpl-abc1', content: [{ type: 'reasoning_text', text: 'Need a tool.' }] },
        {
          type: 'message',
          id: 'msg_chatcmpl-abc1',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Checking.', annotations: [] }],
        },
        {
          type: 'function_call',
          id: 'fc_chatcmpl-abc1_0',
          call_id: 'call_1',
          name: 'get_weather',
          arguments: '{"city":"Oslo"}',
          status: 'completed',
        },
      ],
      usage: {
        input_tokens: 30,
        input_tokens_details: { cached_tokens: 10 },
        output_tokens: 12,
        output_tokens_details: { reasoning_tokens: 4 },
        total_tokens: 42,
      },
    });
  });

  it('says incomplete when the output cap cut the answer, and keeps a refusal', () => {
    const cut = canonicalToResponses(
      { id: 'x', choices: [{ message: { content: 'Once upon' }, finish_reason: 'length' }] },
      'gpt-x',
    );
    expect(cut).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      model: 'gpt-x',
      output: [{ type: 'message', status: 'incomplete', content: [{ type: 'output_text', text: 'Once upon' }] }],
    });
    const refused = canonicalToResponses(
      { id: 'x', choices: [{ message: { content: null, refusal: 'No.' }, finish_reason: 'stop' }] },
      'gpt-x',
    );
    expect(refused['output']).toEqual([
      expect.objectContaining({ type: 'message', content: [{ type: 'refusal', refusal: 'No.' }] }),
    ]);
  });
});

describe(responsesUsageOf.name, () => {
  it('renames the counts and fills the details OpenAI always sends', () => {
    expect(responsesUsageOf({ prompt_tokens: 5, completion_tokens: 2 })).toEqual({
      input_tokens: 5,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 2,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 7,
    });
  });
});
