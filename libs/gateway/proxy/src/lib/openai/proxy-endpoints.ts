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
