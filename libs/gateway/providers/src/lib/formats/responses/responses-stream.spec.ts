import { responsesToCanonical } from './responses-request';
import { ResponsesStreamTranscoder } from './responses-stream';

const chunk = (body: object) => `data: ${JSON.stringify({ id: 'chatcmpl-1', model: 'gpt-x', ...body })}\n\n`;
const delta = (d: object, finish: string | null = null) =>
  chunk({ choices: [{ index: 0, delta: d, finish_reason: finish }] });

type Event = { type: string; sequence_number: number } & Record<string, unknown>;

/** The events of a Responses stream: `event:` names the data's type, sequence numbers count up from 0. */
function events(text: string): Event[] {
  const list = text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      const data = JSON.parse(dataLine.slice('data: '.length)) as Event;
      expect(eventLine).toBe(`event: ${data.type}`);
      return data;
    });
  expect(list.map((e) => e.sequence_number)).toEqual(list.map((_, i) => i));
  return list;
}

function byCharacter(transcoder: ResponsesStreamTranscoder, text: string): string {
  let out = '';
  for (const c of text) out += transcoder.push(c);
  return out + transcoder.end();
}

describe(ResponsesStreamTranscoder.name, () => {
  const text = [
    delta({ role: 'assistant', content: '' }),
    delta({ content: 'Hello ' }),
    delta({ content: 'there.' }),
    delta({}, 'stop'),
    chunk({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } }),
    'data: [DONE]\n\n',
  ].join('');

  it('emits the text event sequence with the usage on response.completed, however the input is split', () => {
    const whole = new ResponsesStreamTranscoder('gpt-x');
    const all = whole.push(text) + whole.end();
    expect(byCharacter(new ResponsesStreamTranscoder('gpt-x'), text)).toBe(all);
    const list = events(all);
    expect(list.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(list[0]['response']).toMatchObject({ id: 'resp_chatcmpl-1', status: 'in_progress', output: [] });
    expect(list[4]).toMatchObject({ item_id: 'msg_chatcmpl-1', output_index: 0, content_index: 0, delta: 'Hello ' });
    expect(list[6]).toMatchObject({ text: 'Hello there.' });
    expect(list.at(-1)?.['response']).toMatchObject({
      status: 'completed',
      output: [{ type: 'message', status: 'completed', content: [{ type: 'output_text', text: 'Hello there.' }] }],
      usage: { input_tokens: 9, output_tokens: 2, total_tokens: 11 },
    });
    expect(whole.usage).toEqual({ prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 });
  });

  it('streams function calls as items of their own, parallel fragments included', () => {
    const request = responsesToCanonical({ model: 'gpt-x', input: 'x', stream: true, metadata: { a: 'b' } });
    const transcoder = new ResponsesStreamTranscoder('gpt-x', request);
    const out =
      transcoder.push(
        [
          delta({ role: 'assistant', content: 'Checking.' }),
          delta({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'a', arguments: '' } }] }),
          delta({
            tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'b', arguments: '{' } }],
          }),
          delta({ tool_calls: [{ index: 0, function: { arguments: '{"x":' } }] }),
          delta({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
          delta({ tool_calls: [{ index: 1, function: { arguments: '}' } }] }),
          delta({}, 'tool_calls'),
          'data: [DONE]\n\n',
        ].join(''),
      ) + transcoder.end();
    const list = events(out);
    expect(list.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(list[8]).toMatchObject({
      output_index: 1,
      item: { type: 'function_call', call_id: 'call_1', name: 'a', arguments: '', status: 'in_progress' },
    });
    expect(list[14]).toMatchObject({ output_index: 1, name: 'a', arguments: '{"x":1}' });
    const final = list.at(-1)?.['response'] as Record<string, unknown>;
    expect(final).toMatchObject({
      metadata: { a: 'b' },
      output: [
        { type: 'message' },
        { type: 'function_call', call_id: 'call_1', arguments: '{"x":1}', status: 'completed' },
        { type: 'function_call', call_id: 'call_2', arguments: '{}', status: 'completed' },
      ],
    });
  });

  it('streams reasoning as a reasoning item before the message', () => {
    const transcoder = new ResponsesStreamTranscoder('gpt-x');
    const out =
      transcoder.push(delta({ reasoning_content: 'Hmm.' }) + delta({ content: 'Yes.' }) + delta({}, 'stop')) +
      transcoder.end();
    const list = events(out);
    expect(list.map((e) => e.type).slice(2, 8)).toEqual([
      'response.output_item.added',
      'response.content_part.added',
      'response.reasoning_text.delta',
      'response.reasoning_text.done',
      'response.content_part.done',
      'response.output_item.done',
    ]);
    expect(list.at(-1)?.['response']).toMatchObject({
      output: [
        { type: 'reasoning', content: [{ type: 'reasoning_text', text: 'Hmm.' }] },
        { type: 'message', content: [{ text: 'Yes.' }] },
      ],
    });
  });

  it('ends a stream cut by the output cap with response.incomplete', () => {
    const transcoder = new ResponsesStreamTranscoder('gpt-x');
    const list = events(transcoder.push(delta({ content: 'Once' }) + delta({}, 'length')) + transcoder.end());
    expect(list.at(-1)).toMatchObject({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
    });
  });

  it('fails with an error event and response.failed, once, on a broken or erroring upstream', () => {
    const broken = new ResponsesStreamTranscoder('gpt-x');
    const list = events(broken.push(delta({ content: 'Hel' })) + broken.fail('The upstream broke off the stream.'));
    expect(list.slice(-2)).toMatchObject([
      { type: 'error', code: 'server_error', message: 'The upstream broke off the stream.' },
      { type: 'response.failed', response: { status: 'failed', error: { code: 'server_error' } } },
    ]);
    expect(broken.end()).toBe('');

    const erroring = new ResponsesStreamTranscoder('gpt-x');
    const out = erroring.push(`data: ${JSON.stringify({ error: { message: 'overloaded' } })}\n\n`) + erroring.end();
    expect(events(out).map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'error',
      'response.failed',
    ]);
  });
});
