/** Every text the counter hands to the tokenizer: the work it asks for, measured without a clock. */
const handed: number[] = [];
jest.mock('gpt-tokenizer/cjs/encoding/o200k_base', () => {
  const actual = jest.requireActual('gpt-tokenizer/cjs/encoding/o200k_base');
  return {
    ...actual,
    countTokens: (text: string, options: object) => (handed.push(text.length), actual.countTokens(text, options)),
    encode: (text: string, options: object) => (handed.push(text.length), actual.encode(text, options)),
  };
});

import { countChatPromptTokens, countTextTokens, countTokens, EXACT_CHARS, PIECE_CHARS } from './token-counter';

// The tokenizer itself, whole text at once: what the counter must agree with where it is exact.
const { countTokens: tokenizerCount } = jest.requireActual('gpt-tokenizer/cjs/encoding/o200k_base') as {
  countTokens: (text: string, options: { disallowedSpecial: Set<string> }) => number;
};
const exact = (text: string) => tokenizerCount(text, { disallowedSpecial: new Set() });

/** English prose of about `chars` characters, sentences varied by their numbers. */
function prose(chars: number): string {
  const parts: string[] = [];
  for (let i = 0, length = 0; length < chars; i++) {
    const sentence = `Request ${i} went to channel ${i % 7}, which answered in ${(i * 37) % 900} ms; the caller's SDK (v${i % 5}.${i % 11}) retried it ${i % 3} times.\n`;
    parts.push(sentence);
    length += sentence.length;
  }
  return parts.join('').slice(0, chars);
}

describe('countTokens', () => {
  it('counts prose exactly, the pieces cut where a word ends', () => {
    for (const chars of [10, 300, 5_000, EXACT_CHARS]) {
      const text = prose(chars);
      expect(countTokens(text)).toBe(exact(text));
    }
  });

  it('counts a long run without spaces in linear time (a megabyte took minutes in one piece)', () => {
    const run = 'a'.repeat(1_000_000);
    const perPiece = exact('a'.repeat(PIECE_CHARS));
    // Estimated from samples of whole pieces: the count of one piece, scaled.
    expect(countTokens(run)).toBe(Math.round((perPiece * run.length) / PIECE_CHARS));
  });

  it('counts Chinese without punctuation, one pre-token for the tokenizer', () => {
    const chinese = '的一是不了人我在有他这为之大来以个中上们'.repeat(10_000);
    const tokens = countTokens(chinese);
    expect(tokens).toBeGreaterThan(chinese.length / 4);
    expect(tokens).toBeLessThanOrEqual(chinese.length);
  });

  it('never cuts between the two halves of a character outside the BMP', () => {
    // 'x' first puts every PIECE_CHARS boundary inside a surrogate pair.
    const text = 'x' + '😀'.repeat(PIECE_CHARS * 2);
    expect(countTokens(text)).toBe(exact(text));
  });

  it('estimates prose past EXACT_CHARS from samples, within a few percent', () => {
    const text = prose(EXACT_CHARS * 8);
    const estimate = countTokens(text);
    expect(Math.abs(estimate - exact(text)) / exact(text)).toBeLessThan(0.05);
  });
});

describe('countTextTokens', () => {
  it('counts texts together, exactly up to EXACT_CHARS in all', () => {
    const texts = [prose(100), '', 'Hello world', prose(2_000)];
    expect(countTextTokens(texts)).toBe(texts.reduce((sum, text) => sum + exact(text), 0));
  });

  it('samples across many small texts, windows going on from one text into the next', () => {
    const texts = Array.from({ length: 40_000 }, (_, i) => `message ${i}: fine, thanks`);
    const truth = texts.reduce((sum, text) => sum + exact(text), 0);
    expect(Math.abs(countTextTokens(texts) - truth) / truth).toBeLessThan(0.05);
  });
});

describe('the tokenizer’s work', () => {
  /** The longest text handed to the tokenizer, and all characters handed, while `count` runs. */
  function work(count: () => unknown): { longest: number; total: number } {
    handed.length = 0;
    count();
    return { longest: Math.max(...handed), total: handed.reduce((sum, length) => sum + length, 0) };
  }
  // Windows end at a word's end looked for over one more piece.
  const bound = EXACT_CHARS + 16 * PIECE_CHARS;

  it('is bounded whatever the caller sends: pieces of PIECE_CHARS, EXACT_CHARS in all and a little', () => {
    for (const text of ['a'.repeat(2_000_000), ' '.repeat(100_000), '=-'.repeat(100_000), prose(1_000_000)]) {
      const { longest, total } = work(() => countTokens(text));
      expect(longest).toBeLessThanOrEqual(PIECE_CHARS);
      expect(total).toBeLessThanOrEqual(bound);
    }
    const messages = Array.from({ length: 400 }, () => ({ role: 'user', content: 'b'.repeat(30_000) }));
    expect(work(() => countChatPromptTokens(messages)).total).toBeLessThanOrEqual(bound);
  });
});

describe('countChatPromptTokens', () => {
  it('bounds the work over a prompt of many long messages as over one', () => {
    const messages = Array.from({ length: 400 }, (_, i) => ({ role: 'user', content: 'b'.repeat(30_000) + i }));
    const tokens = countChatPromptTokens(messages);
    const perMessage = 3 + 1 + (30_000 * exact('b'.repeat(PIECE_CHARS))) / PIECE_CHARS;
    expect(Math.abs(tokens - 400 * perMessage) / (400 * perMessage)).toBeLessThan(0.05);
  });
});
