import { FormatError, type JsonObject } from '../wire-format';
import type { DifyApp } from './dify-ingress-turn';

/** A file a Dify caller attaches: a URL Dify would fetch, or an id from `POST /files/upload`. */
export interface DifyFileRef {
  type: string;
  transferMethod: 'remote_url' | 'local_file';
  /** remote_url: the http(s) URL. */
  url?: string;
  /** local_file: the upload's id. */
  uploadFileId?: string;
}

/** A generation request as Dify's service API defines it, checked. */
export interface DifyGeneration {
  app: DifyApp;
  user: string;
  inputs: JsonObject;
  /** Chat: the user's message. Completion: the legacy top-level `query` ('' when absent). */
  query: string;
  stream: boolean;
  /** Chat only: the conversation to continue; null starts a new one. */
  conversationId: string | null;
  files: DifyFileRef[];
  autoGenerateName: boolean;
}

/** One earlier exchange of a conversation, replayed to the model as history. */
export interface DifyHistoryTurn {
  query: string;
  answer: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

function isObject(value: unknown): value is JsonObject {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Dify's `user` argument: required on generation and stop calls. */
export function requireDifyUser(body: JsonObject): string {
  const user = body['user'];
  if (typeof user !== 'string' || user.trim() === '') throw new FormatError('Arg user must be provided.', 'user');
  return checkedDifyUser(user);
}

/** The longest `user` kept: Dify's own column for it, and the gateway's, hold 255 characters. */
export const DIFY_USER_MAX_CHARS = 255;

/**
 * A `user` the stores can hold, or a FormatError (400 `invalid_param`). A longer one was refused by
 * PostgreSQL after the answer had gone out, and the conversation was lost. A NUL is refused too:
 * PostgreSQL stores U+FFFD for it, which would make `a\u0000` and `a\ufffd` one user.
 */
export function checkedDifyUser(user: string): string {
  if (user.length > DIFY_USER_MAX_CHARS) {
    throw new FormatError(`user must be at most ${DIFY_USER_MAX_CHARS} characters.`, 'user');
  }
  if (user.includes('\u0000')) throw new FormatError('user must not contain a NUL character.', 'user');
  return user;
}

function parseFiles(value: unknown): DifyFileRef[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new FormatError('files must be a list.', 'files');
  return value.map((item) => {
    if (!isObject(item)) throw new FormatError('Each file must be an object.', 'files');
    const type = typeof item['type'] === 'string' ? item['type'] : '';
    const method = item['transfer_method'];
    if (method === 'remote_url') {
      const url = item['url'];
      if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
        throw new FormatError('A remote_url file needs an http(s) url.', 'files');
      }
      return { type, transferMethod: method, url };
    }
    if (method === 'local_file') {
      const id = item['upload_file_id'];
      if (typeof id !== 'string' || !isUuid(id)) {
        throw new FormatError('A local_file file needs the upload_file_id from /files/upload.', 'files');
      }
      return { type, transferMethod: method, uploadFileId: id };
    }
    throw new FormatError('transfer_method must be remote_url or local_file.', 'files');
  });
}

/**
 * The body of `POST /chat-messages`, `/completion-messages` or `/workflows/run`, checked as Dify
 * checks it. Errors carry Dify's messages; the caller gets them as 400 `invalid_param`.
 */
export function parseDifyGeneration(app: DifyApp, body: unknown): DifyGeneration {
  if (!isObject(body)) throw new FormatError('The request body must be a JSON object.');
  const inputs = body['inputs'];
  if (inputs === undefined || inputs === null) {
    throw new FormatError('inputs is required in input form', 'inputs');
  }
  if (!isObject(inputs)) throw new FormatError('inputs must be an object.', 'inputs');
  const user = requireDifyUser(body);
  const mode = body['response_mode'];
  if (mode !== undefined && mode !== null && mode !== 'blocking' && mode !== 'streaming') {
    throw new FormatError('response_mode must be blocking or streaming.', 'response_mode');
  }
  const rawQuery = body['query'];
  if (rawQuery !== undefined && rawQuery !== null && typeof rawQuery !== 'string') {
    throw new FormatError('query must be a string.', 'query');
  }
  const query = rawQuery ?? '';
  let conversationId: string | null = null;
  if (app === 'chat') {
    if (query.trim() === '') throw new FormatError('query is required', 'query');
    const id = body['conversation_id'];
    if (id !== undefined && id !== null && id !== '') {
      if (typeof id !== 'string' || !isUuid(id))
        throw new FormatError('conversation_id must be a UUID.', 'conversation_id');
      conversationId = id;
    }
  }
  return {
    app,
    user,
    inputs,
    query,
    stream: mode === 'streaming',
    conversationId,
    files: parseFiles(body['files']),
    autoGenerateName: body['auto_generate_name'] !== false,
  };
}

/**
 * The user's text for the model. Chat: the query. Completion and workflow apps (no prompt
 * template in the gateway): `inputs.query` when it is a string (or the legacy top-level query),
 * else every input but `system` as `name: value` lines.
 */
export function difyPromptOf(generation: DifyGeneration): string {
  if (generation.app === 'chat') return generation.query;
  const { inputs } = generation;
  if (typeof inputs['query'] === 'string' && inputs['query'].trim() !== '') return inputs['query'];
  if (generation.query.trim() !== '') return generation.query;
  const lines = Object.entries(inputs)
    .filter(([name]) => name !== 'system')
    .map(([name, value]) => `${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  if (lines.length === 0) throw new FormatError('inputs has no text for the model: send inputs.query.', 'inputs');
  return lines.join('\n');
}

/**
 * The canonical (OpenAI chat) request for a Dify generation: `inputs.system` as the system message,
 * the conversation's earlier exchanges, then the user's text with its images (http(s) or data URLs).
 */
export function difyToCanonical(
  generation: DifyGeneration,
  model: string,
  history: readonly DifyHistoryTurn[],
  imageUrls: readonly string[] = [],
): JsonObject & { model: string } {
  const messages: JsonObject[] = [];
  const system = generation.inputs['system'];
  if (typeof system === 'string' && system.trim() !== '') messages.push({ role: 'system', content: system });
  for (const turn of history) {
    messages.push({ role: 'user', content: turn.query });
    if (turn.answer !== '') messages.push({ role: 'assistant', content: turn.answer });
  }
  const text = difyPromptOf(generation);
  messages.push({
    role: 'user',
    content:
      imageUrls.length === 0
        ? text
        : [{ type: 'text', text }, ...imageUrls.map((url) => ({ type: 'image_url', image_url: { url } }))],
  });
  const canonical: JsonObject & { model: string } = { model, messages };
  if (generation.stream) {
    canonical['stream'] = true;
    // message_end must carry usage: ask every upstream for it.
    canonical['stream_options'] = { include_usage: true };
  }
  return canonical;
}
