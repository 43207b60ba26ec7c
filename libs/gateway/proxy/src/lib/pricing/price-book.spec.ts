import { costUsd, PriceBook, toMicroUsd } from './price-book';

describe(PriceBook.name, () => {
  const book = new PriceBook({
    'gpt-4o': { input: 2.5, output: 10 },
    'gpt-4o*': { input: 5, output: 15 },
    'gpt-4o-mini*': { input: 0.15, output: 0.6 },
    '*': { input: 1, output: 1 },
  });

  it('prices an exact name before any glob, then the most specific glob', () => {
    expect(book.priceOf('gpt-4o')).toEqual({ input: 2.5, output: 10 });
    expect(book.priceOf('gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(book.priceOf('gpt-4o-2024-08-06')).toEqual({ input: 5, output: 15 });
    expect(book.priceOf('llama-3')).toEqual({ input: 1, output: 1 });
  });

  it('matches globs by their literal parts, over a long name without backtracking', () => {
    const globs = new PriceBook({ 'x-*-*-*-y': { input: 1, output: 2 } });
    expect(globs.priceOf('x-' + '-'.repeat(200_000))).toBeUndefined();
    expect(globs.priceOf('x-a-b-c-y')).toEqual({ input: 1, output: 2 });
    expect(globs.priceOf('x-(-.-+-y')).toEqual({ input: 1, output: 2 });
  });

  it('costs prompt tokens at the input price and completion tokens at the output price', () => {
    expect(costUsd({ input: 2.5, output: 10 }, { promptTokens: 1000, completionTokens: 500 })).toBeCloseTo(0.0075, 12);
    expect(book.costOf(['gpt-4o'], { promptTokens: 1_000_000, completionTokens: 1_000_000 })).toBe(12.5);
  });

  it('uses the first priced name and gives null without a price or without usage', () => {
    const partial = new PriceBook({ 'public-name': { input: 1, output: 2 } });
    expect(partial.costOf(['upstream-x', 'public-name'], { promptTokens: 11, completionTokens: 6 })).toBeCloseTo(
      0.000023,
      12,
    );
    expect(partial.costOf(['upstream-x', null], { promptTokens: 11, completionTokens: 6 })).toBeNull();
    expect(partial.costOf(['public-name'], undefined)).toBeNull();
    expect(new PriceBook().empty).toBe(true);
  });

  it('counts micro-dollars rounded up, so that no priced call is free', () => {
    expect(toMicroUsd(0.000023)).toBe(23);
    expect(toMicroUsd(0.0000001)).toBe(1);
    expect(toMicroUsd(0)).toBe(0);
    expect(toMicroUsd(1.5)).toBe(1_500_000);
  });

  it('asks layered tables in order: a runtime glob beats a default exact name, unpriced names fall through', () => {
    const layered = PriceBook.layered([
      { 'gpt-4o*': { input: 9, output: 9 } },
      { 'my-model': { input: 1, output: 2 } },
      {
        'gpt-4o': { input: 2.5, output: 10 },
        'my-model': { input: 7, output: 7 },
        'claude-*': { input: 3, output: 15 },
      },
    ]);
    expect(layered.priceOf('gpt-4o')).toEqual({ input: 9, output: 9 });
    expect(layered.priceOf('my-model')).toEqual({ input: 1, output: 2 });
    expect(layered.priceOf('claude-3-opus')).toEqual({ input: 3, output: 15 });
    expect(layered.priceOf('llama')).toBeUndefined();
    expect(PriceBook.layered([{}, {}]).empty).toBe(true);
  });

  it('prices cached prompt tokens at the cached input price when there is one', () => {
    const usage = { promptTokens: 1_000_000, completionTokens: 0, cachedTokens: 400_000 };
    expect(costUsd({ input: 2.5, output: 10, cachedInput: 1.25 }, usage)).toBeCloseTo(0.6 * 2.5 + 0.4 * 1.25, 12);
    expect(costUsd({ input: 2.5, output: 10 }, usage)).toBeCloseTo(2.5, 12);
    // More cached tokens than prompt tokens (a confused upstream) cannot make a call cheaper than all-cached.
    expect(
      costUsd({ input: 2, output: 0, cachedInput: 1 }, { promptTokens: 10, completionTokens: 0, cachedTokens: 99 }),
    ).toBeCloseTo(0.00001, 12);
  });

  it('prices what is not billed by tokens: per call accepted, per audio minute, per million characters', () => {
    const units = new PriceBook({
      'whisper-1': { input: 0, output: 0, perMinute: 0.006 },
      'tts-1': { input: 0, output: 0, perMillionCharacters: 15 },
      'rerank-v3': { input: 0, output: 0, perCall: 0.002 },
      'both-ways': { input: 1, output: 2, perCall: 0.01 },
    });
    // 90 seconds of audio, reported by the upstream with no tokens.
    const whisper = { promptTokens: 0, completionTokens: 0, audioSeconds: 90 };
    expect(units.costOf(['whisper-1'], whisper, true)).toBeCloseTo(0.009, 12);
    expect(units.costOf(['tts-1'], undefined, true, 2000)).toBeCloseTo(0.03, 12);
    expect(units.costOf(['rerank-v3'], undefined, true)).toBeCloseTo(0.002, 12);
    expect(units.costOf(['both-ways'], { promptTokens: 1000, completionTokens: 500 }, true)).toBeCloseTo(
      0.001 + 0.001 + 0.01,
      12,
    );
    // Nothing the price counts: no cost, rather than a cost of 0.
    expect(units.costOf(['rerank-v3'], undefined, false)).toBeNull();
    expect(units.costOf(['whisper-1'], undefined, true)).toBeNull();
    expect(units.costOf(['tts-1'], undefined, true)).toBeNull();
    expect(book.costOf(['gpt-4o'], undefined, true, 10)).toBeNull();
    // Audio seconds on a token price are not charged by the minute.
    expect(book.costOf(['gpt-4o'], whisper, true)).toBe(0);
  });

  it('charges audio the gateway measured when the usage says no seconds, and what it measures only for an accepted call', () => {
    const units = new PriceBook({
      'whisper-1': { input: 0, output: 0, perMinute: 0.006 },
      'tts-1': { input: 0, output: 0, perMillionCharacters: 15 },
    });
    // A text answer: no usage, 120 seconds measured in the upload.
    expect(units.costOf(['whisper-1'], undefined, true, undefined, 120)).toBeCloseTo(0.012, 12);
    // The upstream's 90 seconds win over the 120 measured.
    const reported = { promptTokens: 0, completionTokens: 0, audioSeconds: 90 };
    expect(units.costOf(['whisper-1'], reported, true, undefined, 120)).toBeCloseTo(0.009, 12);
    // Refused by every upstream: nothing measured is charged; what an upstream reported still is.
    expect(units.costOf(['whisper-1'], undefined, false, undefined, 120)).toBeNull();
    expect(units.costOf(['tts-1'], undefined, false, 2000)).toBeNull();
    expect(units.costOf(['whisper-1'], reported, false, undefined, 120)).toBeCloseTo(0.009, 12);
    // A token price: measured seconds add nothing, and claim no tokens.
    expect(book.costOf(['gpt-4o'], undefined, true, undefined, 120)).toBeNull();
    // Priced both ways: tokens when the upstream reports them, the measured minutes when it reports nothing.
    const both = new PriceBook({ 'gpt-4o-mini-tts': { input: 0.6, output: 12, perMinute: 0.015 } });
    const tokens = { promptTokens: 10, completionTokens: 1000 };
    expect(both.costOf(['gpt-4o-mini-tts'], tokens, true, undefined, 60)).toBeCloseTo((10 * 0.6 + 1000 * 12) / 1e6, 12);
    expect(both.costOf(['gpt-4o-mini-tts'], undefined, true, undefined, 60)).toBeCloseTo(0.015, 12);
  });
});
