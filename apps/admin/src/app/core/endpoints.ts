/** The gateway's proxied APIs by the names keys and the request log use (the config file's `endpoints`). */
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
] as const;

export type Endpoint = (typeof ENDPOINTS)[number];
