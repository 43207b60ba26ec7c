import { UpstreamFailure, type UpstreamResponse } from '@synapse/gateway/providers';
import { ErrorAnswer } from './answer-type';
import { eventsAsWholeAnswer, looksLikeEvents } from './whole-from-events';

const answer: UpstreamResponse = {
  statusCode: 200,
  headers: { 'content-type': 'text/event-stream' },
  body: {
    bytes: async () => Buffer.alloc(0),
    text: async () => '',
    dump: async () => undefined,
    async *[Symbol.asyncIterator]() {
      yield Buffer.alloc(0);
    },
  },
};

const events = (...chunks: (object | string)[]) =>
  Buffer.from(
    chunks.map((chunk) => `data: ${typeof chunk === 'string' ? chunk : JSON.stringify(chunk)}\r\n\r\n`).join(''),
  );

const chunk = (choices: object[], extra: object = {}) => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  created: 7,
  model: 'm',
  choices,
  ...extra,
});

describe(looksLikeEvents.name, () => {
  it('tells an event stream by its first field', () => {
    expect(looksLikeEvents(Buffer.from('data: {}\n\n'))).toBe(true);
    expect(looksLikeEvents(Buffer.from('\n: keep-alive\n\n'))).toBe(true);
    expect(looksLikeEvents(Buffer.from('event: message\ndata: {}\n\n'))).toBe(true);
    expect(looksLikeEvents(Buffer.from('{"data": 1}'))).toBe(false);
    expect(looksLikeEvents(Buffer.from('dat'))).toBe(false);
    expect(looksLikeEvents(undefined)).toBe(false);
  });
});

describe(eventsAsWholeAnswer.name, () => {
  it('adds a chat stream up to its completion: texts, tool calls by index, finish, usage', async () => {
    const body = events(
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], {
        system_fingerprint: 'fp',
      }),
      chunk([{ index: 0, delta: { content: 'It is ' }, finish_reason: null }]),
      chunk([{ index: 0, delta: { content: 'sunny.', refusal: null }, finish_reason: null }]),
      chunk([
        {
          index: 0,
          delta: {
            tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'wea', arguments: '' } }],
          },
        },
      ]),
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { name: 'ther', arguments: '{"city":' } }] } }]),
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] } }]),
      chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]),
      chunk([], { usage: { prompt_tokens: 13, completion_tokens: 8, total_tokens: 21 } }),
      '[DONE]',
    );
    const whole = eventsAsWholeAnswer(answer, body, 'chat.completions');
    expect(whole.headers['content-type']).toBe('application/json');
    expect(JSON.parse(await whole.body.text())).toEqual({
      id: 'c1',
      object: 'chat.completion',
      created: 7,
      model: 'm',
      system_fingerprint: 'fp',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'It is sunny.',
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
            ],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 13, completion_tokens: 8, total_tokens: 21 },
    });
  });

  it('adds a legacy completions stream up to its text, choice by choice', async () => {
    const part = (index: number, text: string, finish: string | null) => ({
      id: 'cmpl',
      object: 'text_completion',
      created: 7,
      model: 'm',
      choices: [{ index, text, logprobs: null, finish_reason: finish }],
    });
    const body = events(part(1, 'b', null), part(0, 'once ', null), part(0, 'upon', 'length'), part(1, 'c', 'stop'));
    const whole = JSON.parse(await eventsAsWholeAnswer(answer, body, 'completions').body.text());
    expect(whole.choices).toEqual([
      { index: 0, text: 'once upon', logprobs: null, finish_reason: 'length' },
      { index: 1, text: 'bc', logprobs: null, finish_reason: 'stop' },
    ]);
    expect(whole.object).toBe('text_completion');
  });

  it('throws an error event as the error it carries, and events without choices as invalid', () => {
    const error = '{"error":{"code":429,"message":"slow down"}}';
    expect(() => eventsAsWholeAnswer(answer, events(error), 'chat.completions')).toThrow(ErrorAnswer);
    try {
      eventsAsWholeAnswer(answer, events(error), 'chat.completions');
    } catch (thrown) {
      expect(thrown).toEqual(new ErrorAnswer(429, error));
    }
    expect(() => eventsAsWholeAnswer(answer, events({ ping: 1 }, '[DONE]'), 'chat.completions')).toThrow(
      UpstreamFailure,
    );
  });

  it('reads an error status wherever the key stands, and takes an error of null for no error', async () => {
    const late = '{"id":"x","error":{"code":503,"message":"provider down"}}';
    expect(() => eventsAsWholeAnswer(answer, events(late), 'chat.completions')).toThrow(
      expect.objectContaining({ status: 503 }),
    );
    const quiet = { id: 'c', model: 'm', error: null, choices: [{ index: 0, delta: { content: 'fine' } }] };
    const whole = JSON.parse(
      await eventsAsWholeAnswer(answer, events(quiet, '[DONE]'), 'chat.completions').body.text(),
    );
    expect(whole.choices[0].message.content).toBe('fine');
  });
});
