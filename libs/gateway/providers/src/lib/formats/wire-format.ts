/**
 * Wire formats (docs/adr/0007-wire-formats.md). The pipeline speaks one canonical format, OpenAI
 * chat completions. An ingress format turns a caller's request into it and the canonical answer
 * (JSON or SSE) back into the caller's format. Translators are pure: no I/O, no framework.
 */
export type JsonObject = Record<string, unknown>;

/** A request the format cannot express canonically: the caller's 400, with the field at fault. */
export class FormatError extends Error {
  constructor(
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'FormatError';
  }
}

/** Turns a canonical SSE stream (OpenAI chunks, as bytes decoded to text) into the caller's events. */
export interface StreamTranscoder {
  /** Text to send for this piece of upstream stream (possibly ''); pieces may split lines anywhere. */
  push(text: string): string;
  /** The upstream stream ended: whatever closes the caller's stream. */
  end(): string;
  /** The upstream broke off: the caller's in-stream error event, which ends its stream. */
  fail(message: string): string;
  /** The usage the stream reported, if any (canonical field names). */
  readonly usage: JsonObject | undefined;
  /**
   * An upstream stream only: the native call that stops the upstream's work when the caller goes
   * away mid-stream (Dify's stop endpoint), or undefined when there is nothing to stop.
   */
  cancelRequest?(): CancelRequest | undefined;
}

/** A POST below the channel's base URL, sent with the channel's headers (fire and forget). */
export interface CancelRequest {
  path: string;
  body: JsonObject;
}

/** What a native request may need beyond the canonical body. */
export interface NativeContext {
  /** The gateway key's id: a stable end-user id for upstreams that require one (Dify's `user`). */
  keyId: string;
}

export interface IngressFormat {
  /** Recorded in docs and logs: 'anthropic', later 'dify', 'responses', ... */
  readonly name: string;
  /** The canonical request, or a FormatError. */
  toCanonical(body: unknown): JsonObject & { model: string };
  /**
   * The caller's answer for a canonical (OpenAI chat completion) JSON answer. `request` is the
   * canonical request as sent, for formats whose answer repeats the request's settings (Responses).
   */
  fromCanonical(response: JsonObject, requestedModel: string, request?: JsonObject): JsonObject;
  streamTranscoder(requestedModel: string, request?: JsonObject): StreamTranscoder;
}

/**
 * How an upstream adapter speaks a native API: the canonical request into the provider's request,
 * its JSON answer and SSE stream back into canonical form. Adapters without one forward the
 * canonical bytes as they are (the OpenAI-compatible identity).
 */
export interface UpstreamTranslator {
  toNative(canonical: JsonObject, context?: NativeContext): JsonObject;
  /** `request`: the canonical request answered, for answers that do not repeat it (the model). */
  fromNative(response: JsonObject, request?: JsonObject): JsonObject;
  /**
   * `includeUsage`: end the canonical stream with a usage chunk (stream_options.include_usage).
   * `native`: the request sent, for what a cancel call must repeat (Dify's `user`).
   */
  streamTranscoder(includeUsage: boolean, native?: JsonObject): StreamTranscoder;
}

/** A native embeddings API: the canonical (OpenAI) embeddings request in, the answer back. Never streams. */
export type EmbeddingsTranslator = Pick<UpstreamTranslator, 'toNative' | 'fromNative'>;
/**
 * Reads a native answer that is relayed as it is (a caller whose format the upstream speaks,
 * e.g. Dify to a Dify app): the usage for the log, and the call that stops the upstream's work.
 */
export interface NativeTap {
  /** A piece of a streamed answer (text decoded, split anywhere). */
  push(text: string): void;
  /** A complete JSON answer. */
  json(body: JsonObject): void;
  /** The upstream broke off: the caller's in-stream error event. */
  fail(message: string): string;
  /** Canonical usage (`prompt_tokens`, ...), once the answer said it. */
  readonly usage: JsonObject | undefined;
  cancelRequest?(): CancelRequest | undefined;
}

/** The caller's own request, sent unchanged to an upstream of `channelType` (no translation either way). */
export interface NativePassThrough {
  channelType: string;
  /** Path below the channel's base URL. */
  path: string;
  body: JsonObject;
  /** The body for a route target that names another model than the caller's (formats with a `model`). */
  bodyFor?(upstreamModel: string): JsonObject;
  /** The caller's headers the upstream needs too (Anthropic's `anthropic-version`, `anthropic-beta`). */
  headers?: Record<string, string>;
  tap(): NativeTap;
}
