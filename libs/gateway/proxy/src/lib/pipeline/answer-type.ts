import { UpstreamFailure, WholeBody, type Endpoint, type UpstreamResponse } from '@synapse/gateway/providers';

/** A 2xx answer that is one error object (see errorAnswerStatus): the error it stands for. */
export class ErrorAnswer {
  constructor(
    readonly status: number,
    readonly text: string,
  ) {}
}

/** What a successful answer's content type says, as far as relaying it goes. */
export type AnswerType = 'html' | 'json' | 'other';

/** Read per answer: the usual spellings are told without allocating, the rest parsed. */
export function answerType(contentType: string | undefined): AnswerType {
  if (!contentType) return 'other';
  if (contentType.startsWith('application/json')) return 'json';
  if (contentType.startsWith('text/event-stream')) return 'other';
  const type = contentType.split(';', 1)[0].trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  return type === 'text/html' ? 'html' : 'other';
}

/**
 * Whether an answer's first bytes start (after blanks) with `char`: a type can lie (a server that
 * streams events as `application/json`, or any answer as Flask's default `text/html`), the first
 * byte cannot.
 */
export function startsWith(start: Buffer | undefined, char: '<' | '{'): boolean {
  return start !== undefined && start[skipBlanks(start, 0)] === char.charCodeAt(0);
}

/** The answer under another content type, with its body or one the gateway made of it. */
export function relabelled(
  response: UpstreamResponse,
  contentType: string,
  body: UpstreamResponse['body'] = response.body,
): UpstreamResponse {
  return { statusCode: response.statusCode, headers: { ...response.headers, 'content-type': contentType }, body };
}

/**
 * No model API answers with a web page: a 2xx page is a base URL that points at a website (the
 * `/v1` left out, a console's address). Relayed, an SDK got a string for a completion, the call
 * counted as served and the channel as healthy.
 */
export const htmlAnswer = (): UpstreamFailure =>
  new UpstreamFailure(
    'invalid_response',
    "the upstream answered a web page (Content-Type: text/html), not its API: check the channel's base URL",
  );

/**
 * An OpenAI-compatible server that ignores `stream: true` answers one JSON completion. Relayed as
 * it came under an event-stream type, the caller's SDK found no events and returned nothing. The
 * completion becomes the events a streaming server would have sent (content, finish, usage,
 * `[DONE]`), so every relay and ingress reads it as a stream. Throws an ErrorAnswer for one
 * error object, the upstream's invalid response for anything else that is not a completion.
 */
export async function wholeAnswerAsStream(
  response: UpstreamResponse,
  endpoint: Endpoint,
  includeUsage: boolean,
): Promise<UpstreamResponse> {
  const bytes = await response.body.bytes();
  const text = bytes.toString('utf8');
  const status = errorAnswerStatus(bytes);
  if (status !== undefined) throw new ErrorAnswer(status, text);
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    answer = undefined;
  }
  const completion = answer as Completion | undefined;
  if (!completion || typeof completion !== 'object' || !Array.isArray(completion.choices)) {
    throw new UpstreamFailure(
      'invalid_response',
      "the upstream answered a streamed call with JSON that is not a completion (no 'choices')",
    );
  }
  const events = Buffer.from(completionEvents(completion, endpoint, includeUsage));
  return relabelled(response, 'text/event-stream', new WholeBody(events));
}

interface Completion {
  id?: unknown;
  object?: unknown;
  created?: unknown;
  model?: unknown;
  system_fingerprint?: unknown;
  choices: Record<string, unknown>[];
  usage?: unknown;
}

/** The SSE text of a whole completion, chunk by chunk as OpenAI streams it. */
export function completionEvents(completion: Completion, endpoint: Endpoint, includeUsage: boolean): string {
  const chat = endpoint === 'chat.completions';
  const base: Record<string, unknown> = {
    id: completion.id,
    object: chat ? 'chat.completion.chunk' : (completion.object ?? 'text_completion'),
    created: completion.created,
    model: completion.model,
  };
  if (completion.system_fingerprint !== undefined) base['system_fingerprint'] = completion.system_fingerprint;
  const event = (fields: Record<string, unknown>) => `data: ${JSON.stringify({ ...base, ...fields })}\n\n`;
  let events = '';
  completion.choices.forEach((choice, position) => {
    const index = typeof choice['index'] === 'number' ? choice['index'] : position;
    if (!chat) {
      // Legacy completions stream chunks of the completion's own shape.
      events += event({ choices: [{ ...choice, index }] });
      return;
    }
    const message = (choice['message'] ?? {}) as Record<string, unknown>;
    const delta: Record<string, unknown> = { ...message, role: message['role'] ?? 'assistant' };
    if (Array.isArray(message['tool_calls'])) {
      // A streamed tool call says which of the message's calls it continues.
      delta['tool_calls'] = (message['tool_calls'] as Record<string, unknown>[]).map((call, at) => ({
        index: at,
        ...call,
      }));
    }
    events += event({ choices: [{ index, delta, logprobs: choice['logprobs'] ?? null, finish_reason: null }] });
    events += event({ choices: [{ index, delta: {}, finish_reason: choice['finish_reason'] ?? 'stop' }] });
  });
  if (includeUsage && completion.usage) events += event({ choices: [], usage: completion.usage });
  return `${events}data: [DONE]\n\n`;
}

const ERROR_KEY = Buffer.from('"error"');

/**
 * The status a 2xx answer of one error object stands for (`{"error": {...}}`, first key): some
 * upstreams (OpenRouter when a provider fails after accepting a call, proxies of other gateways)
 * answer 200 with it, which a caller's SDK took for a completion without choices. The error's own
 * numeric `code` when it is an HTTP error status, 502 otherwise; undefined for anything else.
 * Checked on the first bytes: a completion starts with another key.
 */
export function errorAnswerStatus(body: Buffer | undefined): number | undefined {
  if (!body) return undefined;
  let at = skipBlanks(body, 0);
  if (body[at] !== 0x7b /* { */) return undefined;
  at = skipBlanks(body, at + 1);
  if (body.compare(ERROR_KEY, 0, ERROR_KEY.length, at, at + ERROR_KEY.length) !== 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  return errorStatusOf((parsed as { error?: unknown }).error);
}

/**
 * The status an answer's `error` value stands for: its numeric `code` when that is an HTTP error
 * status, 502 otherwise; undefined when it is no error (absent, null, a number).
 */
export function errorStatusOf(error: unknown): number | undefined {
  if (!error || (typeof error !== 'object' && typeof error !== 'string')) return undefined;
  const code = typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'number' && Number.isInteger(code) && code >= 400 && code <= 599 ? code : 502;
}

/** The index of the first byte from `from` on that is not a JSON or SSE blank (space, tab, CR, LF). */
export function skipBlanks(body: Buffer, from: number): number {
  let at = from;
  while (at < body.length && (body[at] === 0x20 || body[at] === 0x0a || body[at] === 0x0d || body[at] === 0x09)) at++;
  return at;
}

/**
 * Whether an error answer refuses a field by name: Azure before api-version 2024-09-01
 * ("Unrecognized request argument supplied: stream_options"), OpenAI-compatible servers ("Unknown
 * parameter", "Extra inputs are not permitted" with the field in its location).
 */
export function refusesField(status: number, text: string, field: string): boolean {
  return (status === 400 || status === 422) && text.includes(field);
}
