import { GEMINI_EMBEDDINGS } from './gemini/gemini-embeddings';
import { OLLAMA_EMBEDDINGS } from './ollama/ollama-embeddings';
import { FormatError } from './wire-format';

describe('GEMINI_EMBEDDINGS', () => {
  it('asks batchEmbedContents for one request per text, with the dimensions', () => {
    expect(
      GEMINI_EMBEDDINGS.toNative({ model: 'gemini-embedding-001', input: ['alpha', 'beta'], dimensions: 256 }),
    ).toEqual({
      requests: [
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'alpha' }] }, outputDimensionality: 256 },
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'beta' }] }, outputDimensionality: 256 },
      ],
    });
    expect(GEMINI_EMBEDDINGS.toNative({ model: 'models/text-embedding-004', input: 'one' })).toEqual({
      requests: [{ model: 'models/text-embedding-004', content: { parts: [{ text: 'one' }] } }],
    });
  });

  it('answers an OpenAI list in input order, with usage only when Gemini reports it', () => {
    const answer = { embeddings: [{ values: [0.5, -1] }, { values: [2, 0.25] }] };
    expect(GEMINI_EMBEDDINGS.fromNative(answer, { model: 'gemini-embedding-001' })).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.5, -1] },
        { object: 'embedding', index: 1, embedding: [2, 0.25] },
      ],
      model: 'gemini-embedding-001',
    });
    expect(
      GEMINI_EMBEDDINGS.fromNative({ ...answer, usageMetadata: { promptTokenCount: 7 } }, { model: 'm' })['usage'],
    ).toEqual({ prompt_tokens: 7, total_tokens: 7 });
  });

  it('refuses token arrays, which the native API cannot take', () => {
    expect(() => GEMINI_EMBEDDINGS.toNative({ model: 'm', input: [1, 2, 3] })).toThrow(FormatError);
    expect(() => GEMINI_EMBEDDINGS.toNative({ model: 'm', input: [[1, 2]] })).toThrow(/gemini channel embeds text/);
  });
});

describe('OLLAMA_EMBEDDINGS', () => {
  it('sends /api/embed its input as given, and reads prompt_eval_count as usage', () => {
    expect(OLLAMA_EMBEDDINGS.toNative({ model: 'all-minilm', input: 'hi', encoding_format: 'base64' })).toEqual({
      model: 'all-minilm',
      input: 'hi',
    });
    expect(OLLAMA_EMBEDDINGS.toNative({ model: 'all-minilm', input: ['a', 'b'], dimensions: 64 })).toEqual({
      model: 'all-minilm',
      input: ['a', 'b'],
      dimensions: 64,
    });
    const answer = OLLAMA_EMBEDDINGS.fromNative(
      { model: 'all-minilm', embeddings: [[0.1, 0.2]], total_duration: 14143917, prompt_eval_count: 8 },
      { model: 'all-minilm' },
    );
    expect(answer).toEqual({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }],
      model: 'all-minilm',
      usage: { prompt_tokens: 8, total_tokens: 8 },
    });
  });

  it('refuses token arrays and empty input', () => {
    expect(() => OLLAMA_EMBEDDINGS.toNative({ model: 'm', input: [7, 8] })).toThrow(/ollama channel embeds text/);
    expect(() => OLLAMA_EMBEDDINGS.toNative({ model: 'm', input: [] })).toThrow(FormatError);
  });
});
