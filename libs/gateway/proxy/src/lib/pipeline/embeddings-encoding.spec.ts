import { ensureBase64Embeddings } from './embeddings-encoding';

function decode(base64: string): number[] {
  const bytes = Buffer.from(base64, 'base64');
  return [...new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)];
}

describe('ensureBase64Embeddings', () => {
  const floats = Buffer.from(
    JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.25, -0.5, 1] }], extra: 1 }),
  );

  it('encodes float arrays when the caller asked for base64', () => {
    const out = JSON.parse(ensureBase64Embeddings({ encoding_format: 'base64' }, floats).toString());
    expect(decode(out.data[0].embedding)).toEqual([0.25, -0.5, 1]);
    expect(out.extra).toBe(1);
  });

  it('leaves the body alone when the caller wanted floats or the upstream already sent base64', () => {
    expect(ensureBase64Embeddings({}, floats)).toBe(floats);
    const base64 = Buffer.from('{"data":[{"embedding":"AACAPg=="}]}');
    expect(ensureBase64Embeddings({ encoding_format: 'base64' }, base64)).toBe(base64);
  });

  it('encodes the floats of a pretty-printed answer too', () => {
    const pretty = Buffer.from(
      JSON.stringify(
        {
          data: [
            { index: 0, embedding: [0.5] },
            { index: 1, embedding: [-2] },
          ],
        },
        null,
        2,
      ),
    );
    const out = JSON.parse(ensureBase64Embeddings({ encoding_format: 'base64' }, pretty).toString());
    expect(out.data.map((item: { embedding: string }) => decode(item.embedding))).toEqual([[0.5], [-2]]);
  });

  it('reads only up to the first embedding to tell a base64 answer', () => {
    // A float array after the first item would be missed: upstreams answer every item in one encoding.
    const base64 = Buffer.from('{"data":[{"object":"embedding","embedding" : "AACAPg=="},{"embedding":[1]}]}');
    expect(ensureBase64Embeddings({ encoding_format: 'base64' }, base64)).toBe(base64);
    const noEmbedding = Buffer.from('{"data":[]}');
    expect(ensureBase64Embeddings({ encoding_format: 'base64' }, noEmbedding)).toBe(noEmbedding);
  });
});
