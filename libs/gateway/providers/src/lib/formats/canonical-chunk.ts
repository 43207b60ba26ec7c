import type { JsonObject } from './wire-format';

/** One `data:` payload of a canonical (OpenAI chat) stream, as an ingress transcoder reads it. */
export type CanonicalData =
  | { kind: 'done' }
  | { kind: 'error'; message: string }
  /** Not JSON: passed over, as OpenAI's SDKs do. */
  | { kind: 'skip' }
  | {
      kind: 'chunk';
      chunk: JsonObject;
      usage: JsonObject | undefined;
      /** The first choice (the gateway asks for one), and its delta; none in a usage-only chunk. */
      choice: JsonObject | undefined;
      delta: JsonObject;
      /** `reasoning_content` (DeepSeek, vLLM) or `reasoning` (OpenRouter, Ollama), when not empty. */
      reasoning: string | undefined;
    };

export function readCanonicalData(data: string): CanonicalData {
  if (data.trim() === '[DONE]') return { kind: 'done' };
  let chunk: JsonObject;
  try {
    chunk = JSON.parse(data) as JsonObject;
  } catch {
    return { kind: 'skip' };
  }
  if (chunk['error']) {
    const error = chunk['error'] as JsonObject;
    return {
      kind: 'error',
      message: typeof error['message'] === 'string' ? error['message'] : 'The upstream stream failed.',
    };
  }
  const usage = chunk['usage'] && typeof chunk['usage'] === 'object' ? (chunk['usage'] as JsonObject) : undefined;
  const choices = Array.isArray(chunk['choices']) ? (chunk['choices'] as JsonObject[]) : [];
  const choice = choices[0];
  const delta = (choice?.['delta'] ?? {}) as JsonObject;
  const reasoning = delta['reasoning_content'] ?? delta['reasoning'];
  return {
    kind: 'chunk',
    chunk,
    usage,
    choice,
    delta,
    reasoning: typeof reasoning === 'string' && reasoning !== '' ? reasoning : undefined,
  };
}
