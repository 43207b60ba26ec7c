import { FormatError, type JsonObject } from './wire-format';

/**
 * The texts of an OpenAI embeddings request. Native embeddings APIs take text only: token arrays
 * (`[1, 2]`, `[[1, 2]]`), which OpenAI accepts, are the caller's 400 naming the channel type.
 */
export function embeddingTexts(canonical: JsonObject, channelType: string): string[] {
  const input = canonical['input'];
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === 'string')) {
    return input as string[];
  }
  throw new FormatError(
    `input: a ${channelType} channel embeds text only: send a string or an array of strings.`,
    'input',
  );
}

/** OpenAI's embeddings list for vectors in input order. */
export function embeddingsList(vectors: unknown[], model: unknown, usage: JsonObject | undefined): JsonObject {
  return {
    object: 'list',
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    model: typeof model === 'string' ? model : '',
    ...(usage && { usage }),
  };
}
