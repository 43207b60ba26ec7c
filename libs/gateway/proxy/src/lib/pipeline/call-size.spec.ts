import { GatewayError } from '@synapse/gateway/errors';
import { capsFor, checkCallSize, setOutputCap } from './call-size';

function refusal(run: () => unknown): { status: number; code: string; param: string | null } {
  try {
    run();
  } catch (error) {
    const e = error as GatewayError;
    return { status: e.status, code: e.code, param: e.options.param ?? null };
  }
  throw new Error('expected a refusal');
}

describe(checkCallSize.name, () => {
  const chat = (extra: Record<string, unknown>): Record<string, unknown> => ({
    model: 'm',
    messages: [{ role: 'user', content: 'hi' }],
    ...extra,
  });

  it('counts n and the output-token field, and passes calls within the caps untouched', () => {
    const body = chat({ n: 3, max_completion_tokens: 100 });
    expect(checkCallSize('chat.completions', body, { maxChoices: 4, maxTokens: 200 })).toEqual({
      choices: 3,
      maxTokens: 100,
    });
    expect(body).toEqual(chat({ n: 3, max_completion_tokens: 100 }));
  });

  it('refuses more choices than the cap, naming the field', () => {
    expect(refusal(() => checkCallSize('chat.completions', chat({ n: 100000 }), { maxChoices: 16 }))).toEqual({
      status: 400,
      code: 'too_many_choices',
      param: 'n',
    });
    const completion = { model: 'm', prompt: 'x', n: 2, best_of: 20 };
    expect(refusal(() => checkCallSize('completions', completion, { maxChoices: 16 })).param).toBe('best_of');
  });

  it("refuses a token limit over the cap, reading chat's older max_tokens too", () => {
    expect(
      refusal(() => checkCallSize('chat.completions', chat({ max_tokens: 5000 }), { maxChoices: 1, maxTokens: 100 })),
    ).toEqual({ status: 400, code: 'max_tokens_too_large', param: 'max_tokens' });
  });

  it('writes the cap into a call that sets no token limit', () => {
    const body = chat({});
    expect(checkCallSize('chat.completions', body, { maxChoices: 1, maxTokens: 64 })).toEqual({
      choices: 1,
      maxTokens: 64,
      capAdded: true,
    });
    expect(body['max_completion_tokens']).toBe(64);
    const completion: Record<string, unknown> = { model: 'm', prompt: 'x' };
    checkCallSize('completions', completion, { maxChoices: 1, maxTokens: 64 });
    expect(completion['max_tokens']).toBe(64);
  });

  it('refuses malformed counts and ignores nulls', () => {
    expect(refusal(() => checkCallSize('chat.completions', chat({ n: 0 }), { maxChoices: 8 })).code).toBe(
      'invalid_type',
    );
    expect(refusal(() => checkCallSize('chat.completions', chat({ n: '2' }), { maxChoices: 8 })).code).toBe(
      'invalid_type',
    );
    expect(checkCallSize('chat.completions', chat({ n: null }), { maxChoices: 8 }).choices).toBe(1);
  });

  it('lets embeddings through: they produce no output', () => {
    expect(checkCallSize('embeddings', { model: 'm', input: 'x', n: 99 }, { maxChoices: 1 })).toEqual({
      choices: 1,
      maxTokens: undefined,
    });
  });

  it('judges a body that sends both output-token fields by the larger', () => {
    const body = chat({ max_completion_tokens: 10, max_tokens: 1_000_000 });
    expect(refusal(() => checkCallSize('chat.completions', body, { maxChoices: 1, maxTokens: 100 }))).toEqual({
      status: 400,
      code: 'max_tokens_too_large',
      param: 'max_tokens',
    });
  });
});

describe(capsFor.name, () => {
  it("keeps the gateway's caps over a key's larger ones, and a key's smaller ones over the gateway's", () => {
    expect(capsFor({ caps: { maxTokens: 5000, maxChoices: 50 } }, { maxTokens: 1000, maxChoices: 16 })).toEqual({
      maxTokens: 1000,
      maxChoices: 16,
    });
    expect(capsFor({ caps: { maxTokens: 100 } }, { maxChoices: 16 })).toEqual({ maxTokens: 100, maxChoices: 16 });
    expect(capsFor({ caps: null }, { maxChoices: 16 })).toEqual({ maxChoices: 16 });
  });
});

describe(setOutputCap.name, () => {
  it('writes the cap in the newer field, or in max_tokens for upstreams from before it', () => {
    const body: Record<string, unknown> = { model: 'm', max_completion_tokens: 50 };
    setOutputCap(body, 50, true);
    expect(body).toEqual({ model: 'm', max_tokens: 50 });
    setOutputCap(body, 50, false);
    expect(body).toEqual({ model: 'm', max_completion_tokens: 50 });
  });
});
