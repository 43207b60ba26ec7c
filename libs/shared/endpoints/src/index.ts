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
