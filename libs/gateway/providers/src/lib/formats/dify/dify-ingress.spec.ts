import { FormatError } from '../wire-format';
import { difyIngressFormat } from './dify-ingress';
import { difyErrorOf } from './dify-ingress-errors';
import { DIFY_FILTERED_ANSWER, DIFY_PING } from './dify-ingress-events';
import { difyToCanonical, parseDifyGeneration } from './dify-ingress-request';
import { DifyIngressStream } from './dify-ingress-stream';
import { newDifyTurn, type DifyApp, type DifyPrice, type DifyTurn } from './dify-ingress-turn';

const IDS = {
  taskId: 'task-1',
  messageId: 'msg-1',
  workflowRunId: '11111111-2222-4333-8444-555555555555',
  workflowId: 'wf-1',
};
const CONV = '9b8e7d6c-5a4b-4c3d-8e2f-1a0b9c8d7e6f';

function turnOf(app: DifyApp, price: DifyPrice | null = null): DifyTurn {
  const turn = newDifyTurn(
    { app, ...IDS, conversationId: app === 'chat' ? CONV : null, inputs: { lang: 'en' } },
    1_767_225_600_000,
    1000,
  );
  turn.priceOf = (model) => (model === 'gpt-x' ? price : null);
  return turn;
}

const clock = () => 2500;
const chunk = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'gpt-x', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const usageChunk = `data: ${JSON.stringify({ id: 'c', choices: [], usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 } })}\n\n`;
const CANONICAL_STREAM =
  chunk({ role: 'assistant', content: '' }) +
  chunk({ content: 'Hé' }) +
  chunk({ content: 'llo' }) +
  chunk({}, 'stop') +
  usageChunk +
  'data: [DONE]\n\n';

/** Feeds the text in pieces, as the network would. */
function feed(stream: DifyIngressStream, text: string, size: number): string {
  let out = '';
  for (let i = 0; i < text.length; i += size) out += stream.push(text.slice(i, i + size));
  return out + stream.end();
}

/** The events of a Dify stream, checking the framing: `data: {json}` and a blank line each. */
function eventsOf(sse: string): Record<string, unknown>[] {
  expect(sse.endsWith('\n\n')).toBe(true);
  return sse
    .slice(0, -2)
    .split('\n\n')
    .map((block) => {
      expect(block).toMatch(/^data: \{.*\}$/);
      return JSON.parse(block.slice(6)) as Record<string, unknown>;
    });
}

describe('parseDifyGeneration', () => {
  it('reads a chat request as Dify defines it', () => {
    expect(
      parseDifyGeneration('chat', {
        query: 'hi',
        inputs: { a: 1 },
        user: 'u1',
        response_mode: 'streaming',
        conversation_id: CONV,
        files: [{ type: 'image', transfer_method: 'remote_url', url: 'https://x.test/a.png' }],
      }),
    ).toEqual({
      app: 'chat',
      user: 'u1',
      inputs: { a: 1 },
      query: 'hi',
      stream: true,
      conversationId: CONV,
      files: [{ type: 'image', transferMethod: 'remote_url', url: 'https://x.test/a.png' }],
      autoGenerateName: true,
    });
  });

  it('treats an empty conversation_id as a new conversation and no response_mode as blocking', () => {
    const parsed = parseDifyGeneration('chat', { query: 'hi', inputs: {}, user: 'u', conversation_id: '' });
    expect(parsed.conversationId).toBeNull();
    expect(parsed.stream).toBe(false);
  });

  it.each([
    [{ query: 'x', inputs: {} }, 'Arg user must be provided.', 'user'],
    [{ query: 'x', inputs: {}, user: '' }, 'Arg user must be provided.', 'user'],
    [{ query: 'x', user: 'u' }, 'inputs is required in input form', 'inputs'],
    [{ inputs: {}, user: 'u' }, 'query is required', 'query'],
    [
      { query: 'x', inputs: {}, user: 'u', conversation_id: 'nope' },
      'conversation_id must be a UUID.',
      'conversation_id',
    ],
    [
      { query: 'x', inputs: {}, user: 'u', response_mode: 'fast' },
      'response_mode must be blocking or streaming.',
      'response_mode',
    ],
    [
      { query: 'x', inputs: {}, user: 'u', files: [{ type: 'image', transfer_method: 'local_file' }] },
      expect.stringContaining('upload_file_id'),
      'files',
    ],
  ])('refuses %j', (body, message, param) => {
    let error: unknown;
    try {
      parseDifyGeneration('chat', body);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FormatError);
    expect((error as FormatError).message).toEqual(message);
    expect((error as FormatError).param).toBe(param);
  });
});

describe('difyToCanonical', () => {
  it('replays history, puts inputs.system first and the query with its images last', () => {
    const generation = parseDifyGeneration('chat', {
      query: 'and now?',
      inputs: { system: 'Be brief.' },
      user: 'u',
      response_mode: 'streaming',
    });
    const canonical = difyToCanonical(
      generation,
      'gpt-x',
      [{ query: 'q1', answer: 'a1' }],
      ['data:image/png;base64,AA'],
    );
    expect(canonical).toEqual({
      model: 'gpt-x',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'q1' },
        { role: 'assistant', content: 'a1' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'and now?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } },
          ],
        },
      ],
    });
  });

  it('takes a completion or workflow prompt from inputs.query, else from every input', () => {
    const withQuery = parseDifyGeneration('workflow', { inputs: { query: 'Translate: hi', lang: 'fr' }, user: 'u' });
    expect(difyToCanonical(withQuery, 'm', []).messages).toEqual([{ role: 'user', content: 'Translate: hi' }]);
    const withoutQuery = parseDifyGeneration('completion', { inputs: { topic: 'tea', n: 3, system: 'S' }, user: 'u' });
    expect(difyToCanonical(withoutQuery, 'm', []).messages).toEqual([
      { role: 'system', content: 'S' },
      { role: 'user', content: 'topic: tea\nn: 3' },
    ]);
    const legacy = parseDifyGeneration('completion', { inputs: {}, query: 'old style', user: 'u' });
    expect(difyToCanonical(legacy, 'm', []).messages).toEqual([{ role: 'user', content: 'old style' }]);
    expect(() => difyToCanonical(parseDifyGeneration('workflow', { inputs: {}, user: 'u' }), 'm', [])).toThrow(
      FormatError,
    );
  });
});

describe(DifyIngressStream.name, () => {
  it.each([1, 7, 10_000])('frames a chat answer as message events and message_end (pieces of %i)', (size) => {
    const turn = turnOf('chat', { input: 1, output: 2 });
    const out = feed(new DifyIngressStream(turn, clock), CANONICAL_STREAM, size);
    const events = eventsOf(out);
    const common = {
      task_id: 'task-1',
      id: 'msg-1',
      message_id: 'msg-1',
      conversation_id: CONV,
      created_at: 1767225600,
    };
    expect(events).toEqual([
      { event: 'message', ...common, answer: 'Hé' },
      { event: 'message', ...common, answer: 'llo' },
      {
        event: 'message_end',
        ...common,
        metadata: {
          usage: {
            prompt_tokens: 11,
            prompt_unit_price: '1',
            prompt_price_unit: '0.000001',
            prompt_price: '0.000011',
            completion_tokens: 3,
            completion_unit_price: '2',
            completion_price_unit: '0.000001',
            completion_price: '0.000006',
            total_tokens: 14,
            total_price: '0.000017',
            currency: 'USD',
            latency: 1.5,
          },
          retriever_resources: [],
        },
        files: null,
      },
    ]);
    expect(turn.answer).toBe('Héllo');
    expect(turn.usage).toEqual({ prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 });
  });

  it('leaves conversation_id out of completion events', () => {
    const events = eventsOf(feed(new DifyIngressStream(turnOf('completion'), clock), CANONICAL_STREAM, 50));
    expect(events.map((e) => e['event'])).toEqual(['message', 'message', 'message_end']);
    expect(events.every((e) => !('conversation_id' in e))).toBe(true);
  });

  it('runs a workflow as one LLM node: started, node, text chunks, node and workflow finished', () => {
    const turn = turnOf('workflow');
    const events = eventsOf(feed(new DifyIngressStream(turn, clock), CANONICAL_STREAM, 13));
    expect(events.map((e) => e['event'])).toEqual([
      'workflow_started',
      'node_started',
      'text_chunk',
      'text_chunk',
      'node_finished',
      'workflow_finished',
    ]);
    expect(events.every((e) => e['task_id'] === 'task-1' && e['workflow_run_id'] === IDS.workflowRunId)).toBe(true);
    expect(events[2]?.['data']).toEqual({ text: 'Hé', from_variable_selector: ['llm', 'text'] });
    expect(events[5]?.['data']).toMatchObject({
      id: IDS.workflowRunId,
      workflow_id: 'wf-1',
      status: 'succeeded',
      outputs: { text: 'Héllo' },
      total_tokens: 14,
      total_steps: 1,
      elapsed_time: 1.5,
    });
  });

  it('replaces a filtered answer with message_replace', () => {
    const turn = turnOf('chat');
    const events = eventsOf(
      feed(
        new DifyIngressStream(turn, clock),
        chunk({ content: 'bad' }) + chunk({}, 'content_filter') + 'data: [DONE]\n\n',
        5,
      ),
    );
    expect(events.map((e) => [e['event'], e['answer']])).toEqual([
      ['message', 'bad'],
      ['message_replace', DIFY_FILTERED_ANSWER],
      ['message_end', undefined],
    ]);
    expect(turn.answer).toBe(DIFY_FILTERED_ANSWER);
  });

  it('turns an upstream error chunk or a broken stream into an error event, and nothing after it', () => {
    const turn = turnOf('chat');
    const stream = new DifyIngressStream(turn, clock);
    const out =
      stream.push(
        chunk({ content: 'a' }) + `data: {"error":{"message":"quota","type":"x"}}\n\n` + chunk({ content: 'late' }),
      ) +
      stream.end() +
      stream.fail('again');
    expect(eventsOf(out)).toEqual([
      expect.objectContaining({ event: 'message', answer: 'a' }),
      {
        event: 'error',
        task_id: 'task-1',
        message_id: 'msg-1',
        conversation_id: CONV,
        status: 500,
        code: 'completion_request_error',
        message: 'quota',
      },
    ]);
    const workflow = new DifyIngressStream(turnOf('workflow'), clock);
    const failed = eventsOf(
      workflow.push(chunk({ content: 'a' })) + workflow.fail('The upstream broke off the stream.'),
    );
    expect(failed.map((e) => e['event'])).toEqual([
      'workflow_started',
      'node_started',
      'text_chunk',
      'node_finished',
      'workflow_finished',
      'error',
    ]);
    expect(failed[4]?.['data']).toMatchObject({ status: 'failed', error: 'The upstream broke off the stream.' });
  });

  it('ends a stopped stream with message_end and what was said so far', () => {
    const turn = turnOf('chat');
    const stream = new DifyIngressStream(turn, clock);
    stream.push(chunk({ content: 'par' }));
    turn.stopped = true;
    const events = eventsOf(stream.end());
    expect(events.map((e) => e['event'])).toEqual(['message_end']);
    expect(turn.answer).toBe('par');
  });

  it('keeps the ping keep-alive in the form Dify sends it', () => {
    expect(DIFY_PING).toBe('event: ping\n\n');
  });
});

describe('difyIngressFormat', () => {
  it('hands over the prepared request and answers blocking calls in Dify form', () => {
    const turn = turnOf('chat');
    const canonical = { model: 'm', messages: [] };
    const format = difyIngressFormat(canonical, turn, clock);
    expect(format.name).toBe('dify');
    expect(format.toCanonical({ anything: true })).toBe(canonical);
    const body = format.fromCanonical(
      {
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hi there' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
      },
      'm',
    );
    expect(body).toMatchObject({
      event: 'message',
      task_id: 'task-1',
      id: 'msg-1',
      message_id: 'msg-1',
      conversation_id: CONV,
      mode: 'chat',
      answer: 'Hi there',
      metadata: { usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7, currency: 'USD' } },
      created_at: 1767225600,
    });
    expect(turn.answer).toBe('Hi there');
  });

  it('answers a blocking workflow with its run and outputs', () => {
    const format = difyIngressFormat({ model: 'm' }, turnOf('workflow'), clock);
    const body = format.fromCanonical(
      { choices: [{ message: { content: 'Bonjour' } }], usage: { total_tokens: 9 } },
      'm',
    );
    expect(body).toMatchObject({
      task_id: 'task-1',
      workflow_run_id: IDS.workflowRunId,
      data: { status: 'succeeded', outputs: { text: 'Bonjour' }, total_tokens: 9, error: null },
    });
    expect(body).not.toHaveProperty('event');
  });
});

describe('difyErrorOf', () => {
  it.each([
    [400, 'invalid_json', { status: 400, code: 'invalid_param' }],
    [401, 'invalid_api_key', { status: 401, code: 'unauthorized' }],
    [403, 'model_not_allowed', { status: 403, code: 'forbidden' }],
    [404, 'not_found', { status: 404, code: 'not_found' }],
    [404, 'model_not_found', { status: 400, code: 'app_unavailable' }],
    [429, 'rate_limit_exceeded', { status: 429, code: 'too_many_requests' }],
    [429, 'budget_exceeded', { status: 429, code: 'too_many_requests' }],
    [502, 'upstream_unreachable', { status: 502, code: 'completion_request_error' }],
    [500, 'internal_error', { status: 500, code: 'internal_server_error' }],
    // A code that is a property of every object maps by its status, like any unknown code.
    [502, 'constructor', { status: 502, code: 'completion_request_error' }],
    [400, '__proto__', { status: 400, code: 'invalid_param' }],
  ])('maps %i %s', (status, code, expected) => {
    expect(difyErrorOf(status, code, 'm')).toEqual({ ...expected, message: 'm' });
  });
});
