import type { ProviderAdapter } from '../../provider-adapter';
import type { Endpoint } from '../../upstream-target';
import { bearerKey, upstreamHeaders } from '../../upstream-headers';
import type { UpstreamTranslator } from '../wire-format';
import { OLLAMA_EMBEDDINGS } from './ollama-embeddings';
import { canonicalToOllamaRequest } from './ollama-request';
import { OllamaToCanonicalStream, ollamaToCanonicalResponse } from './ollama-response';

export const OLLAMA_UPSTREAM: UpstreamTranslator = {
  toNative: canonicalToOllamaRequest,
  fromNative: ollamaToCanonicalResponse,
  streamTranscoder: (includeUsage) => new OllamaToCanonicalStream(includeUsage),
};

/**
 * Ollama's native API (base URL http://<host>:11434): `/api/chat` with NDJSON streams, translated
 * both ways, and `/api/embed` for embeddings. Its last stream line always carries the token counts. No auth by default; a channel
 * key is sent as a Bearer token (for a proxy in front of Ollama).
 */
export class OllamaAdapter implements ProviderAdapter {
  readonly type = 'ollama' as const;
  readonly streamUsage = true;
  readonly healthPath = '/api/tags';
  readonly translator = OLLAMA_UPSTREAM;
  readonly embeddings = OLLAMA_EMBEDDINGS;

  supports(endpoint: Endpoint): boolean {
    return endpoint === 'chat.completions' || endpoint === 'embeddings';
  }

  pathFor(endpoint: Endpoint): string {
    return endpoint === 'embeddings' ? '/api/embed' : '/api/chat';
  }

  readonly headersFor = upstreamHeaders({ key: bearerKey, accept: 'application/json, application/x-ndjson' });
}
