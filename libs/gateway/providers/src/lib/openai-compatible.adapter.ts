import type { ProviderAdapter } from './provider-adapter';
import type { Endpoint } from './upstream-target';
import { bearerKey, upstreamHeaders } from './upstream-headers';

const PATHS: Record<Endpoint, string> = {
  'chat.completions': '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
  moderations: '/moderations',
  'images.generations': '/images/generations',
  // Not OpenAI's: the Jina and Cohere shape that vLLM, Infinity, TEI, LiteLLM and Jina serve at `/v1/rerank`.
  rerank: '/rerank',
  'audio.speech': '/audio/speech',
  'audio.transcriptions': '/audio/transcriptions',
  'audio.translations': '/audio/translations',
  'images.edits': '/images/edits',
  'images.variations': '/images/variations',
};

/** OpenAI itself and every server that speaks its API (vLLM, Ollama, LiteLLM, LocalAI, ...). */
export class OpenAICompatibleAdapter implements ProviderAdapter {
  readonly type = 'openai' as const;
  readonly streamUsage = true;
  readonly healthPath = '/models';

  supports(endpoint: Endpoint): boolean {
    return endpoint in PATHS;
  }

  pathFor(endpoint: Endpoint): string {
    return PATHS[endpoint];
  }

  readonly headersFor = upstreamHeaders({ key: bearerKey });
}
