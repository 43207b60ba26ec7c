/**
 * The gateway's proxied APIs by the names keys (`endpoints` in the config file and GraphQL), the
 * request log and the console use. One list, so that a new API is named the same everywhere.
 */
export const ENDPOINTS = [
  'chat.completions',
  'completions',
  'embeddings',
  'moderations',
  'images.generations',
  'rerank',
  'audio.speech',
  'audio.transcriptions',
  'audio.translations',
  'images.edits',
  'images.variations',
] as const;

export type Endpoint = (typeof ENDPOINTS)[number];

/** Whether a name (from a config file, a filter, a query string) is one of the APIs. */
export function isEndpoint(name: string): name is Endpoint {
  return (ENDPOINTS as readonly string[]).includes(name);
}
