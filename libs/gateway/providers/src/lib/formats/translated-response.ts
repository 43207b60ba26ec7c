import { StringDecoder } from 'node:string_decoder';
import type { UpstreamResponse } from '../upstream-client';
import { readingAnswer } from '../upstream-failure';
import type { EmbeddingsTranslator, JsonObject, StreamTranscoder, UpstreamTranslator } from './wire-format';

type Body = UpstreamResponse['body'];

/**
 * A successful native answer as the canonical one the relays expect: a JSON body translated whole,
 * or a stream translated piece by piece as it is read. Only what the relays use of undici's body
 * is provided (bytes, text, async iteration); read errors (a reset mid-stream) pass through
 * unchanged, so the call classifies them as for any upstream.
 */
export function translatedResponse(
  translator: UpstreamTranslator | EmbeddingsTranslator,
  response: UpstreamResponse,
  stream: boolean,
  includeUsage: boolean,
  /** A stream's transcoder, when the caller needs it afterwards (its cancel call); made here otherwise. */
  given?: StreamTranscoder,
  /** The canonical request, for answers that do not repeat what was asked (Gemini's embeddings: the model). */
  request?: JsonObject,
): UpstreamResponse {
  const source = response.body;
  if (!stream) {
    let translated: Promise<Buffer> | undefined;
    const read = () =>
      (translated ??= source.text().then((text) => {
        let parsed: JsonObject;
        try {
          parsed = JSON.parse(text) as JsonObject;
        } catch {
          return Buffer.from(text);
        }
        return Buffer.from(JSON.stringify(readingAnswer(() => translator.fromNative(parsed, request))));
      }));
    const body = {
      bytes: read,
      text: async () => (await read()).toString('utf8'),
      async *[Symbol.asyncIterator]() {
        yield await read();
      },
    };
    return {
      ...response,
      headers: { ...response.headers, 'content-type': 'application/json' },
      body: body as unknown as Body,
    };
  }
  const transcoder =
    given ?? ('streamTranscoder' in translator ? translator.streamTranscoder(includeUsage) : undefined);
  if (!transcoder) throw new Error('a stream needs a translator that can transcode streams');
  const decoder = new StringDecoder('utf8');
  const body = {
    async *[Symbol.asyncIterator]() {
      for await (const chunk of source) {
        const out = transcoder.push(decoder.write(chunk as Buffer));
        if (out) yield Buffer.from(out);
      }
      const rest = transcoder.push(decoder.end()) + transcoder.end();
      if (rest) yield Buffer.from(rest);
    },
    text: () => source.text(),
    bytes: () => source.bytes(),
  };
  return { ...response, body: body as unknown as Body };
}
