export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Prompt tokens served from the upstream's prompt cache, when it says. */
  cachedTokens?: number;
  /** Seconds of audio, when the upstream bills by them instead of tokens (then the token counts are 0). */
  audioSeconds?: number;
}

/** The most tokens a count may say: the request log's integer columns (PostgreSQL's `integer`). */
const MAX_TOKENS = 2_147_483_647;

/**
 * Reads an OpenAI `usage` object; anything else is not usage. Counts come from the upstream, so
 * they are checked: a negative one would credit budgets, an absurd one (past the log's integer
 * columns) would fail its insert.
 * A prompt count that is not a count makes the whole usage unreported (the tokenizer estimates
 * it); other counts that are not are taken as absent. The Images API's usage says
 * `input_tokens` and `output_tokens` instead.
 */
export function toUsage(value: unknown): Usage | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const u = value as Record<string, unknown>;
  // whisper-1: `{"type": "duration", "seconds": 3}`, billed by the minute, no tokens.
  if (u['type'] === 'duration') {
    const seconds = u['seconds'];
    if (typeof seconds !== 'number' || !(seconds >= 0) || seconds > MAX_TOKENS) return undefined;
    return { promptTokens: 0, completionTokens: 0, totalTokens: 0, audioSeconds: seconds };
  }
  const inputOutput = u['prompt_tokens'] === undefined && u['input_tokens'] !== undefined;
  const prompt = tokenCount(inputOutput ? u['input_tokens'] : u['prompt_tokens']);
  if (prompt === undefined) return undefined;
  const completion = tokenCount(inputOutput ? u['output_tokens'] : u['completion_tokens']) ?? 0;
  const total = tokenCount(u['total_tokens']) ?? Math.min(prompt + completion, MAX_TOKENS);
  const details = u['prompt_tokens_details'] as Record<string, unknown> | null | undefined;
  const cached = details && typeof details === 'object' ? tokenCount(details['cached_tokens']) : undefined;
  return cached === undefined
    ? { promptTokens: prompt, completionTokens: completion, totalTokens: total }
    : { promptTokens: prompt, completionTokens: completion, totalTokens: total, cachedTokens: cached };
}

function tokenCount(value: unknown): number | undefined {
  if (typeof value !== 'number' || !(value >= 0)) return undefined;
  return value <= MAX_TOKENS ? Math.round(value) : undefined;
}

const USAGE_KEY = Buffer.from('"usage"');

/**
 * Finds the `usage` object of a JSON response without parsing the whole body: embedding responses
 * run to megabytes, and usage is the last key OpenAI-compatible servers write. Returns undefined
 * when the fast path cannot be sure, so the caller can fall back to a full parse.
 */
export function extractUsageFast(body: Buffer): Usage | undefined {
  const at = body.lastIndexOf(USAGE_KEY);
  if (at < 0) return undefined;
  let i = at + USAGE_KEY.length;
  while (i < body.length && isSpace(body[i])) i++;
  if (body[i] !== 0x3a /* : */) return undefined;
  i++;
  while (i < body.length && isSpace(body[i])) i++;
  if (body[i] !== 0x7b /* { */) return undefined;
  const end = matchingBrace(body, i);
  if (end < 0) return undefined;
  try {
    return toUsage(JSON.parse(body.toString('utf8', i, end + 1)));
  } catch {
    return undefined;
  }
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function matchingBrace(body: Buffer, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return i;
  }
  return -1;
}
