import type { Endpoint } from '@synapse/gateway/providers';

/** The proxied POST routes and the endpoint each one serves. */
export const PROXY_ENDPOINTS: ReadonlyMap<string, Endpoint> = new Map<string, Endpoint>([
  ['/v1/chat/completions', 'chat.completions'],
  ['/v1/completions', 'completions'],
  ['/v1/embeddings', 'embeddings'],
  ['/v1/moderations', 'moderations'],
  ['/v1/images/generations', 'images.generations'],
  ['/v1/rerank', 'rerank'],
  ['/v1/audio/speech', 'audio.speech'],
]);

/** The proxied POST routes whose bodies are multipart forms (a file upload), not JSON. */
export const FORM_ENDPOINTS: ReadonlyMap<string, Endpoint> = new Map<string, Endpoint>([
  ['/v1/audio/transcriptions', 'audio.transcriptions'],
  ['/v1/audio/translations', 'audio.translations'],
  ['/v1/images/edits', 'images.edits'],
  ['/v1/images/variations', 'images.variations'],
]);
