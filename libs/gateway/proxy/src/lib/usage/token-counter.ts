/*
 * Token counts for upstreams that report no usage. o200k_base is the encoding of current OpenAI
 * models; for other model families it is an estimate, and the log records that the count came
 * from the gateway's tokenizer rather than from the upstream.
 */
type Counter = (text: string) => number;

let counter: Counter | undefined;

function load(): Counter {
  // Loaded on first use: the encoding tables are large and most upstreams report usage.
  const { encode } = require('gpt-tokenizer/cjs/encoding/o200k_base') as {
    encode: (text: string, options?: { disallowedSpecial?: Set<string> }) => number[];
  };
  // User text may contain strings like <|endoftext|>: count them as text, never reject them.
  const options = { disallowedSpecial: new Set<string>() };
  return (text) => (text ? encode(text, options).length : 0);
}

export function countTokens(text: string): number {
  counter ??= load();
  return counter(text);
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
  let total = TOKENS_PER_REPLY;
  for (const message of messages) {
    if (!message || typeof message !== 'object') continue;
    const m = message as Record<string, unknown>;
    total += TOKENS_PER_MESSAGE + countTokens(textOf(m['content'])) + countTokens(String(m['role'] ?? ''));
    if (typeof m['name'] === 'string') total += countTokens(m['name']) + 1;
    if (m['tool_calls']) total += countTokens(JSON.stringify(m['tool_calls']));
  }
  return total;
}

/** Prompt or embedding input: a string, strings, or already-tokenized arrays. */
export function countInputTokens(input: unknown): number {
  if (typeof input === 'string') return countTokens(input);
  if (!Array.isArray(input)) return 0;
  if (input.every((x) => typeof x === 'number')) return input.length;
  return input.reduce<number>((sum, item) => sum + countInputTokens(item), 0);
}
