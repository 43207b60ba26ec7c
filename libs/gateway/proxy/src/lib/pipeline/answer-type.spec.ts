import { UpstreamFailure, type UpstreamResponse } from '@synapse/gateway/providers';
import {
  answerType,
  completionEvents,
  ErrorAnswer,
  errorAnswerStatus,
  refusesField,
  startsWith,
  wholeAnswerAsStream,
} from './answer-type';

const events = (text: string) =>
  text
    .split('\n\n')
    .filter(Boolean)
    .map((event) => event.replace(/^data: /, ''))
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));

const answer = (text: string): UpstreamResponse => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: {
    bytes: async () => Buffer.from(text),
    text: async () => text,
    dump: async () => undefined,
    async *[Symbol.asyncIterator]() {
      yield Buffer.from(text);
    },
  },
});

describe(answerType.name, () => {
  it('tells JSON, a web page and anything else by the type alone', () => {
    expect(answerType('application/json')).toBe('json');
    expect(answerType('Application/JSON; charset=utf-8')).toBe('json');
    expect(answerType('application/problem+json')).toBe('json');
    expect(answerType('text/html; charset=UTF-8')).toBe('html');
    expect(answerType(' TEXT/HTML')).toBe('html');
    expect(answerType('text/event-stream')).toBe('other');
    expect(answerType('application/x-ndjson')).toBe('other');
    expect(answerType(undefined)).toBe('other');
  });
});

describe(completionEvents.name, () => {
  it('streams each choice of a chat completion as content, then its finish, then usage and [DONE]', () => {
    const completion = {
      id: 'c1',
      object: 'chat.completion',
      created: 7,
      model: 'm',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'a', refusal: null }, finish_reason: 'stop' },
        { index: 1, message: { role: 'assistant', content: 'b' }, finish_reason: 'length' },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    };
    const base = { id: 'c1', object: 'chat.completion.chunk', created: 7, model: 'm' };
    expect(events(completionEvents(completion, 'chat.completions', true))).toEqual([
      {
        ...base,
        choices: [
          { index: 0, delta: { role: 'assistant', content: 'a', refusal: null }, logprobs: null, finish_reason: null },
        ],
      },
      { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      {
        ...base,
        choices: [{ index: 1, delta: { role: 'assistant', content: 'b' }, logprobs: null, finish_reason: null }],
      },
      { ...base, choices: [{ index: 1, delta: {}, finish_reason: 'length' }] },
      { ...base, choices: [], usage: completion.usage },
      '[DONE]',
    ]);
    expect(events(completionEvents(completion, 'chat.completions', false)).at(-2)).not.toHaveProperty('usage');
  });

  it('streams a legacy completion in chunks of its own shape', () => {
    const completion = {
      id: 'cmpl-1',
      object: 'text_completion',
      created: 7,
      model: 'm',
      choices: [{ text: 'once upon', index: 0, logprobs: null, finish_reason: 'length' }],
    };
    expect(events(completionEvents(completion, 'completions', true))).toEqual([
      { id: 'cmpl-1', object: 'text_completion', created: 7, model: 'm', choices: completion.choices },
      '[DONE]',
    ]);
  });
});

describe(wholeAnswerAsStream.name, () => {
  it('answers an event stream of the completion', async () => {
    const body = JSON.stringify({ id: 'c', choices: [{ message: { content: 'hi' }, finish_reason: 'stop' }] });
    const stream = await wholeAnswerAsStream(answer(body), 'chat.completions', false);
    expect(stream.headers['content-type']).toBe('text/event-stream');
    expect(await stream.body.text()).toContain('"delta":{"content":"hi","role":"assistant"}');
  });

  it('throws one error object as the error it stands for', async () => {
    const text = '{"error":{"code":429,"message":"Rate limit exceeded"}}';
    const thrown = await wholeAnswerAsStream(answer(text), 'chat.completions', false).catch((e: unknown) => e);
    expect(thrown).toEqual(new ErrorAnswer(429, text));
  });

  it.each(['not json', '{"error":null,"id":"x"}', '[]', 'null'])(
    'refuses %s as the upstream’s invalid response',
    async (text) => {
      const refused = await wholeAnswerAsStream(answer(text), 'chat.completions', false).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(UpstreamFailure);
      expect(refused).toMatchObject({ kind: 'invalid_response' });
      expect((refused as Error).message).toBe(
        "the upstream answered a streamed call with JSON that is not a completion (no 'choices')",
      );
    },
  );
});

describe(errorAnswerStatus.name, () => {
  const status = (text: string) => errorAnswerStatus(Buffer.from(text));

  it('reads one error object as its numeric HTTP code, or 502', () => {
    expect(status('{"error":{"code":429,"message":"Rate limit exceeded"}}')).toBe(429);
    expect(status(' \n{ "error" : {"message":"Provider returned error","code":502}}')).toBe(502);
    expect(status('{"error":{"code":"insufficient_quota","message":"x"}}')).toBe(502);
    expect(status('{"error":{"code":200,"message":"x"}}')).toBe(502);
    expect(status('{"error":"overloaded"}')).toBe(502);
  });

  it('leaves completions, other JSON and nothing alone', () => {
    expect(status('{"id":"c","choices":[],"error":null}')).toBeUndefined();
    expect(status('{"error":null}')).toBeUndefined();
    expect(status('{"error":{"code":429}')).toBeUndefined();
    expect(status('[{"error":{}}]')).toBeUndefined();
    expect(status('')).toBeUndefined();
    expect(errorAnswerStatus(undefined)).toBeUndefined();
  });
});

describe(refusesField.name, () => {
  it('is a 400 or 422 that names the field', () => {
    const azure = '{"error":{"message":"Unrecognized request argument supplied: stream_options"}}';
    const pydantic = '{"detail":[{"loc":["body","stream_options"],"msg":"Extra inputs are not permitted"}]}';
    expect(refusesField(400, azure, 'stream_options')).toBe(true);
    expect(refusesField(422, pydantic, 'stream_options')).toBe(true);
    expect(refusesField(400, azure, 'max_completion_tokens')).toBe(false);
    expect(refusesField(500, azure, 'stream_options')).toBe(false);
    expect(refusesField(429, azure, 'stream_options')).toBe(false);
  });
});

describe(startsWith.name, () => {
  it('looks past blanks at the first byte', () => {
    expect(startsWith(Buffer.from(' \r\n<!doctype html>'), '<')).toBe(true);
    expect(startsWith(Buffer.from('data: {}'), '<')).toBe(false);
    expect(startsWith(Buffer.from('\n{"id":1}'), '{')).toBe(true);
    expect(startsWith(Buffer.from('data: {"id":1}'), '{')).toBe(false);
    expect(startsWith(Buffer.from('   '), '{')).toBe(false);
    expect(startsWith(undefined, '{')).toBe(false);
  });
});
