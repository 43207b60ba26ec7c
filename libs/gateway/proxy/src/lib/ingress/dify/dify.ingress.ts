import { difyErrorOf, FormatError, type IngressFormat } from '@synapse/gateway/providers';
import { GatewayError } from '@synapse/gateway/errors';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Ingress } from '../ingress';

/** A JSON answer on a Dify path; every response carries its request id. */
export function sendDifyJson(
  res: ServerResponse,
  requestId: string,
  status: number,
  body: unknown,
  extraHeaders: OutgoingHttpHeaders = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...extraHeaders,
    ...(text && { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': Buffer.byteLength(text),
    'x-request-id': requestId,
  });
  res.end(text);
}

/** A gateway error in Dify's shape, `{code, message, status}`, with Dify's status. */
export function sendDifyError(
  res: ServerResponse,
  requestId: string,
  error: GatewayError,
  extraHeaders: OutgoingHttpHeaders = {},
): void {
  const body = difyErrorOf(error.status, error.code, error.message);
  sendDifyJson(res, requestId, body.status, body, { ...error.options.headers, ...extraHeaders });
}

/** Dify's own errors, raised by the ingress with Dify's codes and messages. */
/** Dify's speech paths: the code Dify refuses them with, and OpenAI's path for the same need. */
const DIFY_AUDIO = {
  'audio-to-text': {
    code: 'provider_not_support_speech_to_text',
    what: 'Speech to text',
    instead: '/v1/audio/transcriptions',
  },
  'text-to-audio': { code: 'provider_not_support_text_to_speech', what: 'Text to speech', instead: '/v1/audio/speech' },
} as const;

export const DifyErrors = {
  invalidParam: (message: string, param: string | null = null) =>
    new GatewayError(400, 'invalid_param', message, { param }),
  conversationNotFound: () => new GatewayError(404, 'not_found', 'Conversation Not Exists.'),
  messageNotFound: () => new GatewayError(404, 'not_found', 'Message Not Exists.'),
  fileNotFound: () => new GatewayError(404, 'not_found', 'File Not Exists.'),
  /** Speech to text and text to speech: served by a Dify app behind the gateway, not translated. */
  audioNotServed: (kind: 'audio-to-text' | 'text-to-audio') => {
    const { code, what, instead } = DIFY_AUDIO[kind];
    return new GatewayError(
      400,
      code,
      `${what} is served only by a Dify app behind the gateway: route this key's Dify calls to a dify ` +
        `channel (docs/dify.md). Or call ${instead} in OpenAI's format.`,
    );
  },
};

/** The pipeline's view of one Dify call: the call's own format, Dify's error shape. */
export function difyIngress(format: IngressFormat): Ingress {
  return {
    format,
    endpoint: 'chat.completions',
    checkHeaders: () => undefined,
    countRequest: (body) => body,
    sendError: sendDifyError,
  };
}

/**
 * Dify calls refused before the pipeline (bad key, bad body): the log reads only the format's
 * name, the answer only the error shape. Generations get their own format per call.
 */
export const DIFY: Ingress = difyIngress({
  name: 'dify',
  toCanonical() {
    throw new FormatError('A Dify call is translated by its own format.');
  },
  fromCanonical: (response) => response,
  streamTranscoder() {
    throw new Error('A Dify call is translated by its own format.');
  },
});
