import { RESPONSES_INGRESS } from '@synapse/gateway/providers';
import { sendError } from '@synapse/gateway/errors';
import type { Ingress } from './ingress';

/** OpenAI's Responses API: OpenAI's headers and OpenAI's error object, only the body differs. */
export const RESPONSES: Ingress = {
  format: RESPONSES_INGRESS,
  endpoint: 'chat.completions',
  checkHeaders: () => undefined,
  countRequest(body) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
    return { ...body, stream: false };
  },
  countAnswer: (inputTokens) => ({ object: 'response.input_tokens', input_tokens: inputTokens }),
  sendError,
};
