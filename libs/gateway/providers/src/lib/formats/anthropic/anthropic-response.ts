import type { JsonObject } from '../wire-format';

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal';

/** OpenAI finish_reason → Anthropic stop_reason (protocol notes §6.2). */
export function stopReasonOf(finishReason: unknown): AnthropicStopReason {
  switch (finishReason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** OpenAI usage → Anthropic's: cached prompt tokens are reported apart from `input_tokens`. */
export function anthropicUsageOf(usage: unknown): AnthropicUsage {
  const u = (usage && typeof usage === 'object' ? usage : {}) as JsonObject;
  const prompt = typeof u['prompt_tokens'] === 'number' ? u['prompt_tokens'] : 0;
  const completion = typeof u['completion_tokens'] === 'number' ? u['completion_tokens'] : 0;
  const details = u['prompt_tokens_details'] as { cached_tokens?: unknown } | undefined;
  const cached = typeof details?.cached_tokens === 'number' ? details.cached_tokens : 0;
  return {
    input_tokens: Math.max(0, prompt - cached),
    output_tokens: completion,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}

/** Anthropic ids are `msg_…`; the upstream's id is kept inside so the two can be matched in logs. */
export function messageIdOf(id: unknown): string {
  const raw = typeof id === 'string' ? id.replace(/[^A-Za-z0-9_-]/g, '') : '';
  return `msg_${raw || Date.now().toString(36)}`;
}

/** Some OpenAI-compatible servers (vLLM, DeepSeek, Ollama) put reasoning beside the content. */
export function reasoningOf(message: JsonObject | undefined): string | undefined {
  const value = message?.['reasoning_content'] ?? message?.['reasoning'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseArguments(text: unknown): unknown {
  if (typeof text !== 'string' || text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    // A model that wrote broken JSON: hand the raw text over rather than lose it.
    return { _raw_arguments: text };
  }
}

/** A canonical chat completion as an Anthropic message. */
export function canonicalToAnthropic(response: JsonObject, requestedModel: string): JsonObject {
  const choices = Array.isArray(response['choices']) ? (response['choices'] as JsonObject[]) : [];
  const choice = choices[0] ?? {};
  const message = (choice['message'] ?? {}) as JsonObject;
  const content: JsonObject[] = [];
  const reasoning = reasoningOf(message);
  if (reasoning) content.push({ type: 'thinking', thinking: reasoning, signature: '' });
  const text = message['content'];
  if (typeof text === 'string' && text !== '') content.push({ type: 'text', text });
  else if (typeof message['refusal'] === 'string') content.push({ type: 'text', text: message['refusal'] });
  const calls = Array.isArray(message['tool_calls']) ? (message['tool_calls'] as JsonObject[]) : [];
  for (const call of calls) {
    const fn = (call['function'] ?? {}) as JsonObject;
    content.push({ type: 'tool_use', id: call['id'], name: fn['name'], input: parseArguments(fn['arguments']) });
  }
  return {
    id: messageIdOf(response['id']),
    type: 'message',
    role: 'assistant',
    model: typeof response['model'] === 'string' ? response['model'] : requestedModel,
    content,
    stop_reason: stopReasonOf(choice['finish_reason']),
    stop_sequence: null,
    usage: anthropicUsageOf(response['usage']),
  };
}

/** Anthropic's error type for an HTTP status, and the status an Anthropic client expects (protocol notes §5). */
export function anthropicErrorOf(status: number): { status: number; type: string } {
  switch (status) {
    case 400:
    case 422:
      return { status: 400, type: 'invalid_request_error' };
    case 401:
      return { status: 401, type: 'authentication_error' };
    case 402:
      return { status: 402, type: 'billing_error' };
    case 403:
      return { status: 403, type: 'permission_error' };
    case 404:
      return { status: 404, type: 'not_found_error' };
    case 413:
      return { status: 413, type: 'request_too_large' };
    case 429:
      return { status: 429, type: 'rate_limit_error' };
    case 503:
    case 529:
      return { status: 529, type: 'overloaded_error' };
    case 504:
      return { status: 504, type: 'timeout_error' };
    default:
      return status >= 500 || status < 400
        ? { status: 500, type: 'api_error' }
        : { status, type: 'invalid_request_error' };
  }
}

export function anthropicErrorBody(type: string, message: string, requestId?: string): JsonObject {
  return { type: 'error', error: { type, message }, ...(requestId && { request_id: requestId }) };
}
