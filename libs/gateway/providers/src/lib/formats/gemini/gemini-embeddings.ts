import { embeddingsList, embeddingTexts } from '../embeddings-input';
import type { EmbeddingsTranslator, JsonObject } from '../wire-format';

function isObject(value: unknown): value is JsonObject {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** The model's resource name, which each request of a batch repeats (`models/gemini-embedding-001`). */
function resourceName(model: unknown): string {
  const name = String(model ?? '');
  return name.startsWith('models/') ? name : `models/${name}`;
}

/**
 * OpenAI embeddings ↔ Gemini's `models/{model}:batchEmbedContents`: one EmbedContentRequest per
 * input text (`dimensions` → `outputDimensionality`), `embeddings[].values` back in order. Gemini
 * reports no token usage for embeddings except on newer models (`usageMetadata`); without it the
 * gateway counts the input with its tokenizer, as for any upstream that reports none.
 */
export const GEMINI_EMBEDDINGS: EmbeddingsTranslator = {
  toNative(canonical) {
    const model = resourceName(canonical['model']);
    const dimensions = canonical['dimensions'];
    return {
      requests: embeddingTexts(canonical, 'gemini').map((text) => ({
        model,
        content: { parts: [{ text }] },
        ...(typeof dimensions === 'number' && { outputDimensionality: dimensions }),
      })),
    };
  },
  fromNative(response, request) {
    const embeddings = Array.isArray(response['embeddings']) ? response['embeddings'] : [];
    const vectors = embeddings.map((e: unknown) => (isObject(e) && Array.isArray(e['values']) ? e['values'] : []));
    const metadata = isObject(response['usageMetadata']) ? response['usageMetadata'] : undefined;
    const tokens = metadata?.['promptTokenCount'] ?? metadata?.['totalTokenCount'];
    const usage = typeof tokens === 'number' ? { prompt_tokens: tokens, total_tokens: tokens } : undefined;
    return embeddingsList(vectors, request?.['model'], usage);
  },
};
