import type { Endpoint } from '@synapse/gateway/providers';
import { Errors } from '@synapse/gateway/errors';

export type JsonObject = Record<string, unknown>;

/** The field each endpoint cannot do without; everything else is the upstream's to judge. */
const REQUIRED: Record<Endpoint, string> = {
  'chat.completions': 'messages',
  completions: 'prompt',
  embeddings: 'input',
  moderations: 'input',
  'images.generations': 'prompt',
  rerank: 'query',
  'audio.speech': 'input',
  'audio.transcriptions': 'file',
  'audio.translations': 'file',
  'images.edits': 'prompt',
  'images.variations': 'image',
};

/**
 * Checks the little the gateway needs to route a request. Unknown fields are left alone and
 * forwarded untouched: the upstream API grows faster than any gateway.
 */
export function readRequestBody(endpoint: Endpoint, body: unknown): JsonObject & { model: string } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw Errors.badRequest(
      'The request body must be a JSON object, sent with "Content-Type: application/json".',
      null,
      'invalid_body',
    );
  }
  const object = body as JsonObject;
  if (typeof object['model'] !== 'string' || object['model'] === '') {
    throw Errors.badRequest("The 'model' field is required and must be a string.", 'model', 'missing_model');
  }
  const required = REQUIRED[endpoint];
  const value = object[required];
  const missing =
    value === undefined ||
    value === null ||
    (endpoint === 'chat.completions' && (!Array.isArray(value) || value.length === 0));
  if (missing) {
    const what = endpoint === 'chat.completions' ? 'a non-empty array of messages' : 'required';
    throw Errors.badRequest(`The '${required}' field is ${what}.`, required, 'missing_field');
  }
  if (object['stream'] !== undefined && typeof object['stream'] !== 'boolean') {
    throw Errors.badRequest("The 'stream' field must be a boolean.", 'stream', 'invalid_type');
  }
  return object as JsonObject & { model: string };
}
