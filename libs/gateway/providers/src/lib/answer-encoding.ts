import {
  brotliDecompress,
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw,
  gunzip,
  inflate,
  inflateRaw,
  type BrotliOptions,
  type ZlibOptions,
} from 'node:zlib';
import type { Transform, TransformOptions } from 'node:stream';
import { UpstreamFailure } from './upstream-failure';

/**
 * Answers an upstream compressed: asked to by a channel's `Accept-Encoding` header (megabytes of
 * embeddings travel far smaller), or unasked, which HTTP allows when a request names no encoding.
 * The gateway reads answers (usage, translation, errors) and relays them without their encoding,
 * so they are decoded where they arrive, for every reader alike.
 */
export type AnswerCoding = 'gzip' | 'deflate' | 'br';

const CONTENT_ENCODING = 'content-encoding';

/**
 * The answer's coding, from undici's raw headers: undefined for none (or `identity`), an
 * UpstreamFailure for one the gateway cannot read. Names are compared only at the right length:
 * this runs on every answer.
 */
export function answerCoding(rawHeaders: readonly Buffer[]): AnswerCoding | UpstreamFailure | undefined {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name.length !== CONTENT_ENCODING.length || name.toString('latin1').toLowerCase() !== CONTENT_ENCODING) {
      continue;
    }
    return codingOf(rawHeaders[i + 1].toString('latin1'));
  }
  return undefined;
}

function codingOf(value: string): AnswerCoding | UpstreamFailure | undefined {
  const codings = value
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0) return undefined;
  if (codings.length === 1) {
    const [coding] = codings;
    if (coding === 'gzip' || coding === 'x-gzip') return 'gzip';
    if (coding === 'deflate' || coding === 'br') return coding;
  }
  return new UpstreamFailure(
    'invalid_response',
    `the upstream's answer is encoded (Content-Encoding: ${value.slice(0, 64)}), which the gateway cannot read; ` +
      'it reads gzip, deflate and br',
  );
}

/** A decoding error as the upstream's failure: what it sent is not what it said. */
export function undecodable(coding: AnswerCoding, error: unknown): UpstreamFailure {
  // zlib's errors carry their reason in `message` (not `instanceof Error` across realms, as in tests).
  const message = (error as { message?: unknown } | null)?.message;
  const reason = typeof message === 'string' ? message : String(error);
  return new UpstreamFailure(
    'invalid_response',
    `the upstream's answer could not be decoded (Content-Encoding: ${coding}): ${reason}`,
  );
}

/**
 * HTTP's `deflate` is zlib-wrapped, but some servers send a raw deflate stream: the first two bytes
 * tell, as browsers tell them (a zlib header names method 8 and is a multiple of 31).
 */
function zlibWrapped(start: Buffer): boolean {
  return start.length >= 2 && (start[0] & 0x0f) === 0x08 && ((start[0] << 8) | start[1]) % 31 === 0;
}

/**
 * A whole answer decoded (zlib's thread pool), bounded by what it expands to: a small bomb cannot
 * fill memory. Past `maxBytes` it fails with `tooLarge`.
 */
export function decodeWhole(
  coding: AnswerCoding,
  bytes: Buffer,
  maxBytes: number,
  tooLarge: UpstreamFailure,
): Promise<Buffer> {
  if (bytes.length === 0) return Promise.resolve(bytes);
  const options = { maxOutputLength: maxBytes };
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, decoded: Buffer) => {
      if (!error) resolve(decoded);
      else reject((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? tooLarge : undecodable(coding, error));
    };
    if (coding === 'gzip') gunzip(bytes, options, done);
    else if (coding === 'br') brotliDecompress(bytes, options, done);
    else if (zlibWrapped(bytes)) inflate(bytes, options, done);
    else inflateRaw(bytes, options, done);
  });
}

/** A decoder for an answer read as it arrives; `start` is its first chunk (deflate's two forms). */
export function streamDecoder(coding: AnswerCoding, start: Buffer): Transform {
  // zlib passes stream options on to its Transform; its types leave them out.
  const options: ZlibOptions & BrotliOptions & TransformOptions = { writableHighWaterMark: DECODER_INPUT_BYTES };
  if (coding === 'gzip') return createGunzip(options);
  if (coding === 'br') return createBrotliDecompress(options);
  return zlibWrapped(start) ? createInflate(options) : createInflateRaw(options);
}

/**
 * Encoded bytes a stream's decoder takes before it asks undici to pause the socket. At zlib's 16 KiB
 * every socket read (64 KiB and more) paused it, and undici, resumed, read the socket's whole
 * backlog again for each pause: 16 MiB of gzip took 3-7 s of CPU to relay instead of 0.15
 * (docs/benchmark.md). A slow reader still stops the socket, past this much.
 */
const DECODER_INPUT_BYTES = 256 * 1024;

/** Where a decoded stream goes: the body its reader iterates. */
export interface DecodedSink {
  /** A decoded chunk; false: the reader is behind, stop until it asks again. */
  push(chunk: Buffer): boolean;
  end(): void;
}

/**
 * An answer read as it arrives, decoded on the way: encoded chunks in, decoded chunks out to the
 * sink, the reader's backpressure carried back to the upstream socket (a decoder that is not read
 * stops taking input, and undici pauses the socket until it drains).
 */
export class DecodedStream {
  private decoder: Transform | undefined;

  constructor(
    private readonly coding: AnswerCoding,
    private readonly sink: DecodedSink,
    /** undici's resume: the socket reads again. */
    private readonly resumeSocket: () => void,
    private readonly fail: (failure: UpstreamFailure) => void,
  ) {}

  /** An encoded chunk; false asks undici to pause the socket until the decoder drains. */
  write(chunk: Buffer): boolean {
    const decoder = (this.decoder ??= this.start(chunk));
    return decoder.write(chunk);
  }

  end(): void {
    // An empty answer (a 204, an error without a body) has nothing to decode.
    if (this.decoder) this.decoder.end();
    else this.sink.end();
  }

  /** The reader caught up: decoded chunks flow again. */
  resume(): void {
    this.decoder?.resume();
  }

  destroy(): void {
    this.decoder?.destroy();
  }

  private start(chunk: Buffer): Transform {
    const decoder = streamDecoder(this.coding, chunk);
    decoder.on('data', (chunk: Buffer) => {
      if (!this.sink.push(chunk)) decoder.pause();
    });
    decoder.on('end', () => this.sink.end());
    decoder.on('drain', this.resumeSocket);
    decoder.on('error', (error: Error) => this.fail(undecodable(this.coding, error)));
    return decoder;
  }
}
