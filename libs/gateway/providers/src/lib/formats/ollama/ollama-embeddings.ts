import { embeddingsList, embeddingTexts } from '../embeddings-input';
import type { EmbeddingsTranslator } from '../wire-format';

/**
 * OpenAI embeddings ↔ Ollama's `POST /api/embed`: `input` as a string or strings, `dimensions`
 * passed on; `embeddings` (one vector per input) back, `prompt_eval_count` as the usage.
 */
export const OLLAMA_EMBEDDINGS: EmbeddingsTranslator = {
  toNative(canonical) {
    const texts = embeddingTexts(canonical, 'ollama');
    const input = typeof canonical['input'] === 'string' ? texts[0] : texts;
    return {
      model: canonical['model'],
      input,
      ...(typeof canonical['dimensions'] === 'number' && { dimensions: canonical['dimensions'] }),
    };
  },
  fromNative(response, request) {
    const vectors = Array.isArray(response['embeddings']) ? response['embeddings'] : [];
    const tokens = response['prompt_eval_count'];
    const usage = typeof tokens === 'number' ? { prompt_tokens: tokens, total_tokens: tokens } : undefined;
    return embeddingsList(vectors, response['model'] ?? request?.['model'], usage);
  },
};
