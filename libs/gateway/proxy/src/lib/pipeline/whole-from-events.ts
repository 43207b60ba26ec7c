import {
  jsonEventOf,
  SseDataLines,
  UpstreamFailure,
  WholeBody,
  type Endpoint,
  type UpstreamResponse,
} from '@synapse/gateway/providers';
import { ErrorAnswer, errorStatusOf, relabelled, skipBlanks } from './answer-type';

type Json = Record<string, unknown>;

/** Whether an answer read whole starts (after blanks) with an event stream's field: `data:`, `event:` or a comment. */
export function looksLikeEvents(body: Buffer | undefined): boolean {
  if (!body) return false;
  const at = skipBlanks(body, 0);
  const first = body[at];
  if (first === 0x3a /* : */) return true;
  return (
    (first === 0x64 /* d */ && body.toString('latin1', at, at + 5) === 'data:') ||
    (first === 0x65 /* e */ && body.toString('latin1', at, at + 6) === 'event:')
  );
}

/**
 * A server that streams whatever it is asked (a proxy in front of a streaming-only model) answers
 * a call that did not ask for a stream with events; relayed as they came, an SDK got text for a
 * completion. The events become the one completion they stream: each choice's text, tool calls
 * (their arguments joined by index), finish reason, and the usage. An error event is the error it
 * carries (ErrorAnswer); events that stream no completion are the upstream's invalid response.
 */
export function eventsAsWholeAnswer(response: UpstreamResponse, body: Buffer, endpoint: Endpoint): UpstreamResponse {
  const lines = new SseDataLines();
  const data = [...lines.push(body.toString('utf8')), ...lines.end()];
  const chunks: Json[] = [];
  for (const payload of data) {
    if (payload.trim() === '[DONE]') break;
    const chunk = jsonEventOf(payload);
    if (!chunk) continue;
    // Its status from the event already parsed, not from its text again; `"error": null` is no error.
    const status = errorStatusOf(chunk['error']);
    if (status !== undefined) throw new ErrorAnswer(status, payload);
    chunks.push(chunk);
  }
  if (!chunks.some((chunk) => Array.isArray(chunk['choices']))) {
    throw new UpstreamFailure(
      'invalid_response',
      "the upstream answered a call that asked for no stream with events that stream no completion (no 'choices')",
    );
  }
  const whole = Buffer.from(JSON.stringify(completionOf(chunks, endpoint)));
  return relabelled(response, 'application/json', new WholeBody(whole));
}

/** The completion a stream's chunks add up to, in the shape of the endpoint's whole answer. */
function completionOf(chunks: readonly Json[], endpoint: Endpoint): Json {
  const chat = endpoint === 'chat.completions';
  const first = chunks[0];
  const choices = new Map<number, Json>();
  let usage: unknown;
  for (const chunk of chunks) {
    if (chunk['usage']) usage = chunk['usage'];
    if (!Array.isArray(chunk['choices'])) continue;
    for (const part of chunk['choices'] as Json[]) {
      const index = typeof part['index'] === 'number' ? part['index'] : 0;
      let choice = choices.get(index);
      if (!choice) {
        choice = chat
          ? { index, message: { role: 'assistant', content: null }, logprobs: null, finish_reason: null }
          : { index, text: '', logprobs: null, finish_reason: null };
        choices.set(index, choice);
      }
      if (part['finish_reason'] != null) choice['finish_reason'] = part['finish_reason'];
      if (chat) addDelta(choice['message'] as Json, (part['delta'] ?? {}) as Json);
      else if (typeof part['text'] === 'string') choice['text'] = `${choice['text'] as string}${part['text']}`;
    }
  }
  const completion: Json = {
    id: first['id'],
    object: chat ? 'chat.completion' : 'text_completion',
    created: first['created'],
    model: first['model'],
    choices: [...choices.values()].sort((a, b) => (a['index'] as number) - (b['index'] as number)),
  };
  if (first['system_fingerprint'] !== undefined) completion['system_fingerprint'] = first['system_fingerprint'];
  if (usage !== undefined) completion['usage'] = usage;
  return completion;
}

/** Adds one chunk's delta to a message: texts joined, tool calls joined by their index. */
function addDelta(message: Json, delta: Json): void {
  for (const [field, value] of Object.entries(delta)) {
    if (field === 'tool_calls' && Array.isArray(value)) addToolCalls(message, value as Json[]);
    else if (field === 'role') message['role'] = value;
    else if (typeof value === 'string') {
      const before = message[field];
      message[field] = typeof before === 'string' ? before + value : value;
    } else if (value !== null && value !== undefined) message[field] = value;
  }
}

function addToolCalls(message: Json, deltas: readonly Json[]): void {
  const calls = (message['tool_calls'] ??= []) as Json[];
  for (const delta of deltas) {
    const index = typeof delta['index'] === 'number' ? delta['index'] : calls.length;
    let call = calls[index];
    if (!call) {
      call = { id: delta['id'], type: delta['type'] ?? 'function', function: { name: '', arguments: '' } };
      calls[index] = call;
    }
    if (typeof delta['id'] === 'string') call['id'] = delta['id'];
    const fn = (delta['function'] ?? {}) as Json;
    const into = call['function'] as Json;
    if (typeof fn['name'] === 'string') into['name'] = `${into['name'] as string}${fn['name']}`;
    if (typeof fn['arguments'] === 'string') into['arguments'] = `${into['arguments'] as string}${fn['arguments']}`;
  }
}
