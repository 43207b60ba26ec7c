import { extractUsageFast, toUsage } from './usage';
import { countChatPromptTokens, countInputTokens, countTokens } from './token-counter';

describe('toUsage', () => {
  it('takes counts only: a negative one would credit budgets, one past the log columns fail its insert', () => {
    expect(toUsage({ prompt_tokens: 10, completion_tokens: 2.6 })).toEqual({
      promptTokens: 10,
      completionTokens: 3,
      totalTokens: 13,
    });
    // The prompt count decides: without it the usage is unreported, and the tokenizer estimates it.
    for (const prompt of [-3, Number.NaN, 3e9, '10', null]) expect(toUsage({ prompt_tokens: prompt })).toBeUndefined();
    expect(toUsage({ prompt_tokens: 4, completion_tokens: -7, total_tokens: 1e300 })).toEqual({
      promptTokens: 4,
      completionTokens: 0,
      totalTokens: 4,
    });
    expect(toUsage({ prompt_tokens: 4, prompt_tokens_details: { cached_tokens: -1 } })).toEqual({
      promptTokens: 4,
      completionTokens: 0,
      totalTokens: 4,
    });
  });

  it("reads the Images API's input and output tokens, checked the same way", () => {
    expect(toUsage({ input_tokens: 14, output_tokens: 272, total_tokens: 286 })).toEqual({
      promptTokens: 14,
      completionTokens: 272,
      totalTokens: 286,
    });
    expect(toUsage({ input_tokens: -1, output_tokens: 272 })).toBeUndefined();
    // OpenAI's names win where both come.
    expect(toUsage({ prompt_tokens: 5, completion_tokens: 1, input_tokens: 14, output_tokens: 272 })).toEqual({
      promptTokens: 5,
      completionTokens: 1,
      totalTokens: 6,
    });
  });
});

describe("whisper's usage in seconds", () => {
  it('reads the seconds of audio with no tokens, and refuses seconds that are not a count', () => {
    expect(toUsage({ type: 'duration', seconds: 3.5 })).toEqual({
      promptTokens: 0,
      completionTokens: 0,
      totalTokens: 0,
      audioSeconds: 3.5,
    });
    expect(toUsage({ type: 'duration', seconds: -1 })).toBeUndefined();
    expect(toUsage({ type: 'duration', seconds: '3' })).toBeUndefined();
    expect(extractUsageFast(Buffer.from('{"text":"hi","usage":{"type":"duration","seconds":12}}'))).toMatchObject({
      audioSeconds: 12,
    });
  });
});

describe('extractUsageFast', () => {
  it('reads usage at the end of a completion', () => {
    const body = Buffer.from(
      JSON.stringify({
        id: 'x',
        choices: [{ message: { content: 'the word "usage": {"prompt_tokens": 999} appears in text' } }],
        usage: {
          prompt_tokens: 5,
          completion_tokens: 7,
          total_tokens: 12,
          prompt_tokens_details: { cached_tokens: 3 },
        },
      }),
    );
    expect(extractUsageFast(body)).toEqual({ promptTokens: 5, completionTokens: 7, totalTokens: 12, cachedTokens: 3 });
  });

  it('reads embeddings usage, which has no completion tokens', () => {
    const body = Buffer.from('{"object":"list","data":[],"usage": {"prompt_tokens":4,"total_tokens":4}}');
    expect(extractUsageFast(body)).toEqual({ promptTokens: 4, completionTokens: 0, totalTokens: 4 });
  });

  it('gives up when there is no usage or it is null', () => {
    expect(extractUsageFast(Buffer.from('{"choices":[]}'))).toBeUndefined();
    expect(extractUsageFast(Buffer.from('{"choices":[],"usage":null}'))).toBeUndefined();
    expect(extractUsageFast(Buffer.from('{"content":"usage"}'))).toBeUndefined();
  });
});

describe('token counting', () => {
  it('counts with the o200k tokenizer', () => {
    expect(countTokens('Hello world')).toBe(2);
    expect(countTokens('')).toBe(0);
    expect(countTokens('a <|endoftext|> b')).toBeGreaterThan(3);
  });

  it('counts chat prompts with per-message overhead', () => {
    const messages = [
      { role: 'system', content: 'Answer in one line.' },
      { role: 'user', content: [{ type: 'text', text: 'Hello world' }] },
    ];
    const expected = 3 + (3 + countTokens('Answer in one line.') + 1) + (3 + 2 + 1);
    expect(countChatPromptTokens(messages)).toBe(expected);
  });

  it('counts string, list and token-array inputs', () => {
    expect(countInputTokens('Hello world')).toBe(2);
    expect(countInputTokens(['Hello world', 'Hello'])).toBe(3);
    expect(countInputTokens([1, 2, 3])).toBe(3);
    expect(countInputTokens([[1, 2], [3]])).toBe(3);
  });
});
