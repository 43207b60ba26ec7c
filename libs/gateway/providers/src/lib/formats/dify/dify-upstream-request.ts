import { FormatError, type JsonObject, type NativeContext } from '../wire-format';

/**
 * The upstream model name that marks a Text Generator app (`/completion-messages`); any other
 * name is a chat app. Dify ignores model names, so the route's target model carries the app type.
 */
export const DIFY_COMPLETION_MODEL = 'completion';

/** Where an OpenAI-format caller names the Dify conversation to continue (docs/dify.md). */
export const DIFY_CONVERSATION_FIELD = 'conversation_id';

function isObject(value: unknown): value is JsonObject {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (isObject(part) && typeof part['text'] === 'string' ? part['text'] : '')).join('');
}

/** Image parts of the last user message as Dify `files` (remote URLs only; Dify fetches them itself). */
function filesOf(content: unknown): JsonObject[] {
  if (!Array.isArray(content)) return [];
  const files: JsonObject[] = [];
  for (const part of content) {
    if (!isObject(part) || part['type'] !== 'image_url') continue;
    const image = part['image_url'];
    const url = typeof image === 'string' ? image : isObject(image) ? image['url'] : undefined;
    if (typeof url !== 'string' || !/^https?:/.test(url)) {
      throw new FormatError('Only http(s) image URLs can go to a Dify app.', 'messages');
    }
    files.push({ type: 'image', transfer_method: 'remote_url', url });
  }
  return files;
}

/** The conversation to continue: body `conversation_id`, else `metadata.dify_conversation_id`. */
export function conversationIdOf(body: JsonObject): string {
  const direct = body[DIFY_CONVERSATION_FIELD];
  if (typeof direct === 'string') return direct;
  const metadata = body['metadata'];
  if (isObject(metadata) && typeof metadata['dify_conversation_id'] === 'string') {
    return metadata['dify_conversation_id'];
  }
  return '';
}

/**
 * A canonical (OpenAI chat completions) request as a Dify `POST /chat-messages` body. Dify keeps a
 * conversation's history itself, so only the last user message is sent (`query`); earlier turns
 * and system messages are not replayed (docs/dify.md). `inputs` come from the body's `inputs`
 * object; `user` from the OpenAI `user` field, else the gateway key.
 */
export function canonicalToDifyRequest(body: JsonObject, context?: NativeContext): JsonObject {
  if (typeof body['n'] === 'number' && body['n'] > 1) {
    throw new FormatError("'n' greater than 1 is not supported by Dify apps.", 'n');
  }
  if (Array.isArray(body['tools']) && body['tools'].length > 0) {
    throw new FormatError('A Dify app runs its own tools; `tools` cannot go to it.', 'tools');
  }
  const messages = Array.isArray(body['messages']) ? (body['messages'] as unknown[]) : [];
  const last = messages[messages.length - 1];
  if (!isObject(last) || last['role'] !== 'user') {
    throw new FormatError('The last message must be a user message: it becomes the Dify query.', 'messages');
  }
  const query = textOf(last['content']);
  if (query.trim() === '') throw new FormatError('The last user message has no text for the Dify query.', 'messages');
  const inputs = body['inputs'];
  if (inputs !== undefined && !isObject(inputs)) throw new FormatError('`inputs` must be an object.', 'inputs');
  const user =
    typeof body['user'] === 'string' && body['user'] !== '' ? body['user'] : `key-${context?.keyId ?? 'anonymous'}`;
  const response_mode = body['stream'] === true ? 'streaming' : 'blocking';
  let out: JsonObject;
  if (body['model'] === DIFY_COMPLETION_MODEL) {
    // A Text Generator app is stateless and takes its text as the `query` input variable.
    out = { inputs: { query, ...inputs }, user, response_mode };
  } else {
    out = { query, inputs: inputs ?? {}, user, response_mode };
    const conversation = conversationIdOf(body);
    if (conversation) out['conversation_id'] = conversation;
  }
  const files = filesOf(last['content']);
  if (files.length > 0) out['files'] = files;
  return out;
}
