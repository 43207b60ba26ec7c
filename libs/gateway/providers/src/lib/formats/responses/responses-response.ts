import type { JsonObject } from '../wire-format';
import { echoOf, type ResponsesEcho } from './responses-request';

export type ResponseStatus = 'completed' | 'incomplete' | 'failed' | 'in_progress';

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** Canonical usage → the Responses API's names (cached and reasoning tokens are included in the totals in both). */
export function responsesUsageOf(usage: unknown): ResponsesUsage {
  const u = (usage && typeof usage === 'object' ? usage : {}) as JsonObject;
  const input = num(u['prompt_tokens']);
  const output = num(u['completion_tokens']);
  const prompt = (u['prompt_tokens_details'] ?? {}) as JsonObject;
  const completion = (u['completion_tokens_details'] ?? {}) as JsonObject;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: num(prompt['cached_tokens']) },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: num(completion['reasoning_tokens']) },
    total_tokens: typeof u['total_tokens'] === 'number' ? u['total_tokens'] : input + output,
  };
}

/** The terminal status for a finish_reason, and why a response stopped short. */
export function statusOf(finishReason: unknown): { status: ResponseStatus; incomplete: JsonObject | null } {
  if (finishReason === 'length') return { status: 'incomplete', incomplete: { reason: 'max_output_tokens' } };
  if (finishReason === 'content_filter') return { status: 'incomplete', incomplete: { reason: 'content_filter' } };
  return { status: 'completed', incomplete: null };
}

/** The upstream's id, reduced to id-safe characters, for the response and item ids (`resp_…`, `msg_…`). */
export function rawIdOf(id: unknown): string {
  const raw = typeof id === 'string' ? id.replace(/[^A-Za-z0-9_-]/g, '') : '';
  return raw || `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

const NO_ECHO: ResponsesEcho = {
  instructions: null,
  max_output_tokens: null,
  metadata: {},
  parallel_tool_calls: true,
  reasoning: { effort: null, summary: null },
  temperature: null,
  text: { format: { type: 'text' } },
  tool_choice: 'auto',
  tools: [],
  top_p: null,
  user: null,
};

/** A Response object: the request's settings repeated, as OpenAI does, with the given state. */
export function responseObject(
  raw: string,
  model: string,
  createdAt: number,
  request: JsonObject | undefined,
  state: { status: ResponseStatus; output: JsonObject[]; usage: ResponsesUsage | null } & {
    error?: JsonObject | null;
    incomplete?: JsonObject | null;
  },
): JsonObject {
  const echo = echoOf(request) ?? NO_ECHO;
  return {
    id: `resp_${raw}`,
    object: 'response',
    created_at: createdAt,
    status: state.status,
    background: false,
    error: state.error ?? null,
    incomplete_details: state.incomplete ?? null,
    instructions: echo.instructions,
    max_output_tokens: echo.max_output_tokens,
    model,
    output: state.output,
    parallel_tool_calls: echo.parallel_tool_calls,
    previous_response_id: null,
    reasoning: echo.reasoning,
    // Accepted and not kept: the gateway is stateless (docs/responses-api.md).
    store: false,
    temperature: echo.temperature,
    text: echo.text,
    tool_choice: echo.tool_choice,
    tools: echo.tools,
    top_p: echo.top_p,
    truncation: 'disabled',
    usage: state.usage,
    user: echo.user,
    metadata: echo.metadata,
  };
}

export function messageItem(raw: string, text: string, status: string, refusal?: string): JsonObject {
  const content: JsonObject[] = [];
  if (text !== '' || refusal === undefined) content.push({ type: 'output_text', text, annotations: [], logprobs: [] });
  if (refusal !== undefined) content.push({ type: 'refusal', refusal });
  return { id: `msg_${raw}`, type: 'message', status, role: 'assistant', content };
}

export function reasoningItem(raw: string, text: string): JsonObject {
  return { id: `rs_${raw}`, type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text }] };
}

export function functionCallItem(raw: string, index: number, call: JsonObject, status: string): JsonObject {
  const fn = (call['function'] ?? {}) as JsonObject;
  return {
    id: `fc_${raw}_${index}`,
    type: 'function_call',
    status,
    arguments: typeof fn['arguments'] === 'string' ? fn['arguments'] : '',
    call_id: typeof call['id'] === 'string' ? call['id'] : `call_${raw}_${index}`,
    name: typeof fn['name'] === 'string' ? fn['name'] : '',
  };
}

/** Some OpenAI-compatible servers (vLLM, DeepSeek, Ollama) put reasoning beside the content. */
function reasoningText(message: JsonObject): string {
  const value = message['reasoning_content'] ?? message['reasoning'];
  return typeof value === 'string' ? value : '';
}

/** A canonical chat completion as a Response object (`POST /v1/responses` without `stream`). */
export function canonicalToResponses(response: JsonObject, requestedModel: string, request?: JsonObject): JsonObject {
  const choices = Array.isArray(response['choices']) ? (response['choices'] as JsonObject[]) : [];
  const choice = choices[0] ?? {};
  const message = (choice['message'] ?? {}) as JsonObject;
  const raw = rawIdOf(response['id']);
  const { status, incomplete } = statusOf(choice['finish_reason']);
  const itemStatus = status === 'completed' ? 'completed' : 'incomplete';
  const output: JsonObject[] = [];
  const reasoning = reasoningText(message);
  if (reasoning) output.push(reasoningItem(raw, reasoning));
  const text = typeof message['content'] === 'string' ? message['content'] : '';
  const refusal = typeof message['refusal'] === 'string' && message['refusal'] !== '' ? message['refusal'] : undefined;
  const calls = Array.isArray(message['tool_calls']) ? (message['tool_calls'] as JsonObject[]) : [];
  if (text !== '' || refusal !== undefined || calls.length === 0)
    output.push(messageItem(raw, text, itemStatus, refusal));
  calls.forEach((call, i) => output.push(functionCallItem(raw, i, call, 'completed')));
  const created = typeof response['created'] === 'number' ? response['created'] : Math.floor(Date.now() / 1000);
  return responseObject(
    raw,
    typeof response['model'] === 'string' ? response['model'] : requestedModel,
    created,
    request,
    {
      status,
      incomplete,
      output,
      usage: responsesUsageOf(response['usage']),
    },
  );
}
