/*
 * Token counts for upstreams that report no usage. o200k_base is the encoding of current OpenAI
 * models; for other model families it is an estimate, and the log records that the count came
 * from the gateway's tokenizer rather than from the upstream.
 */
type Counter = (text: string) => number;

let counter: Counter | undefined;

function load(): Counter {
  // Loaded on first use: the encoding tables are large and most upstreams report usage.
  const { countTokens: count } = require('gpt-tokenizer/cjs/encoding/o200k_base') as {
    countTokens: (text: string, options?: { disallowedSpecial?: Set<string> }) => number;
  };
  // User text may contain strings like <|endoftext|>: count them as text, never reject them.
  const options = { disallowedSpecial: new Set<string>() };
  return (text) => (text ? count(text, options) : 0);
}

/**
 * Longest text handed to the tokenizer at once. Its merge step is quadratic in the length of one
 * pre-token, and a run without spaces (`aaaa…`, base64, a line of `=`, Chinese without punctuation)
 * is one pre-token: 100,000 such characters took 4 s of the event loop, a megabyte minutes.
 */
export const PIECE_CHARS = 256;
/**
 * Characters counted exactly in one count; of more, this many in evenly spread samples, and the
 * count scaled to the whole: 32 KiB is ~8 ms of natural text, ~30 ms of base64 at worst.
 */
export const EXACT_CHARS = 32 * 1024;
const SAMPLES = 16;

/** The tokens of one text: see `countTextTokens`. */
export function countTokens(text: string): number {
  return countTextTokens([text]);
}

/**
 * The tokens of the texts together in o200k_base, with the tokenizer's work bounded whatever they
 * hold (a caller chooses the prompt): up to EXACT_CHARS in all the count is exact, but for runs of
 * over PIECE_CHARS characters without a space (cut, a token or so more a cut); past it, estimated
 * from SAMPLES windows spread evenly over the texts, in their order.
 */
export function countTextTokens(texts: readonly string[]): number {
  const count = (counter ??= load());
  let total = 0;
  for (const text of texts) total += text.length;
  if (total <= EXACT_CHARS) {
    let tokens = 0;
    for (const text of texts) tokens += countPieces(count, text, 0, text.length);
    return tokens;
  }
  const size = EXACT_CHARS / SAMPLES;
  const stride = total / SAMPLES;
  let tokens = 0;
  let chars = 0;
  let index = 0;
  let offset = 0; // of texts[index] in the texts end to end
  for (let i = 0; i < SAMPLES; i++) {
    const at = Math.floor(i * stride);
    while (offset + texts[index].length <= at) offset += texts[index++].length;
    // A window of `size` characters from `at`, going on into the next texts when one ends.
    let start = boundaryAfter(texts[index], at - offset);
    let left = size;
    for (let j = index; j < texts.length && left > 0; j++, start = 0) {
      const text = texts[j];
      const end = boundaryAfter(text, Math.min(text.length, start + left));
      tokens += countPieces(count, text, start, end);
      chars += end - start;
      left -= end - start;
      if (end < text.length) break;
    }
  }
  return chars === 0 ? 0 : Math.round((tokens * total) / chars);
}

/** [start, end) counted in pieces of at most PIECE_CHARS, cut where a word ends when there is one. */
function countPieces(count: Counter, text: string, start: number, end: number): number {
  let tokens = 0;
  while (end - start > PIECE_CHARS) {
    const cut = boundaryBefore(text, start + PIECE_CHARS, start + PIECE_CHARS / 2);
    tokens += count(text.slice(start, cut));
    start = cut;
  }
  return tokens + count(start === 0 && end === text.length ? text : text.slice(start, end));
}

const SPACE = 32;

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000;
}

/**
 * The last position in (min, at] where whitespace follows a word: the tokenizer's pre-tokens never
 * span one, so counting each side apart gives the same count. Without one, `at` itself, moved off
 * the middle of a surrogate pair.
 */
function boundaryBefore(text: string, at: number, min: number): number {
  for (let k = at; k > min; k--) {
    if (text.charCodeAt(k) === SPACE && !isSpace(text.charCodeAt(k - 1))) return k;
  }
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/** The first such boundary from `at` on, looked for over PIECE_CHARS characters at most. */
function boundaryAfter(text: string, at: number): number {
  const limit = Math.min(text.length, at + PIECE_CHARS);
  for (let k = at; k < limit; k++) {
    if (k > 0 && text.charCodeAt(k) === SPACE && !isSpace(text.charCodeAt(k - 1))) return k;
  }
  if (limit === text.length) return limit;
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/** Tokens per chat message beyond its text, as OpenAI counts them, and the reply's priming. */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY = 3;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (part && typeof part === 'object' && typeof part.text === 'string' ? part.text : ''))
      .join('');
  }
  return '';
}

export function countChatPromptTokens(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  let overhead = TOKENS_PER_REPLY;
  const texts: string[] = [];
  for (const message of messages) {
    if (!message || typeof message !== 'object') continue;
    const m = message as Record<string, unknown>;
    overhead += TOKENS_PER_MESSAGE;
    texts.push(textOf(m['content']), String(m['role'] ?? ''));
    if (typeof m['name'] === 'string') {
      texts.push(m['name']);
      overhead += 1;
    }
    if (m['tool_calls']) texts.push(JSON.stringify(m['tool_calls']));
  }
  return overhead + countTextTokens(texts);
}

/** Prompt or embedding input: a string, strings, or already-tokenized arrays. */
export function countInputTokens(input: unknown): number {
  const texts: string[] = [];
  const tokenized = collectInput(input, texts);
  return tokenized + countTextTokens(texts);
}

/** Gathers the strings of an input into `texts`; answers the tokens it held already tokenized. */
function collectInput(input: unknown, texts: string[]): number {
  if (typeof input === 'string') {
    texts.push(input);
    return 0;
  }
  if (!Array.isArray(input)) return 0;
  if (input.every((x) => typeof x === 'number')) return input.length;
  let tokenized = 0;
  for (const item of input) tokenized += collectInput(item, texts);
  return tokenized;
}
