import type { Dispatcher, Pool } from 'undici';
import { classifyUpstreamError, UpstreamFailure } from './upstream-failure';
import type { UpstreamBody, UpstreamCall, UpstreamResponse } from './upstream-client';

type Headers = UpstreamResponse['headers'];

/**
 * An upstream call whose answer is read whole before it is handed over (every answer that is not
 * streamed). It goes through undici's `dispatch` with this object as the handler, which collects the
 * body as it arrives, rather than `request`, whose body stream, promise and async resource cost
 * about 6 µs more per call (docs/benchmark.md). One object per call: it is the handler, the call
 * and, once complete, the response's body.
 */
export class WholeBodyCall implements UpstreamCall, Dispatcher.DispatchHandler {
  readonly response: Promise<UpstreamResponse>;
  private resolveResponse!: (response: UpstreamResponse) => void;
  private rejectResponse!: (error: unknown) => void;
  private settled = false;
  private reason: UpstreamFailure | undefined;
  /** undici's way to end the request, once it has a connection. */
  private abortRequest: ((error: Error) => void) | undefined;
  private readonly timer: NodeJS.Timeout;
  private statusCode = 0;
  private rawHeaders: Buffer[] = [];
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(pool: Pool, options: Dispatcher.DispatchOptions, totalMs: number) {
    this.response = new Promise<UpstreamResponse>((resolve, reject) => {
      this.resolveResponse = resolve;
      this.rejectResponse = reject;
    });
    this.timer = setTimeout(timeOut, totalMs, this);
    pool.dispatch(options, this);
  }

  abort(failure: UpstreamFailure): void {
    clearTimeout(this.timer);
    this.cancel(failure);
  }

  finish(): void {
    clearTimeout(this.timer);
  }

  classify(error: unknown): UpstreamFailure {
    return classifyUpstreamError(error, this.reason);
  }

  /** Ends the call: undici's request if it has a connection, and the pending answer in any case. */
  cancel(failure: UpstreamFailure): void {
    if (this.reason) return;
    this.reason = failure;
    this.abortRequest?.(failure);
    // A call queued behind a busy pool has no connection yet: its answer fails now, not when one frees.
    this.settle(failure);
  }

  // undici's handler (its DispatchHandler's "legacy" methods, which it calls without a wrapper).

  onConnect(abort: (error?: Error) => void): void {
    if (this.reason) abort(this.reason);
    else this.abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.statusCode = statusCode;
    this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.size += chunk.length;
    return true;
  }

  onComplete(): void {
    // Nothing is left to time: the answer is all here.
    clearTimeout(this.timer);
    if (this.settled) return;
    this.settled = true;
    const bytes = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
    this.resolveResponse(new WholeResponse(this.statusCode, this.rawHeaders, bytes));
  }

  onError(error: Error): void {
    clearTimeout(this.timer);
    this.settle(error);
  }

  private settle(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectResponse(this.classify(error));
  }
}

function timeOut(call: WholeBodyCall): void {
  call.cancel(new UpstreamFailure('timeout', 'upstream did not finish in time'));
}

/** A complete answer: headers parsed when first asked for (most calls only want one or two). */
class WholeResponse implements UpstreamResponse {
  readonly body: UpstreamBody;
  private parsed: Headers | undefined;

  constructor(
    readonly statusCode: number,
    private readonly rawHeaders: Buffer[],
    bytes: Buffer,
  ) {
    this.body = new WholeBody(bytes);
  }

  get headers(): Headers {
    return (this.parsed ??= parseRawHeaders(this.rawHeaders));
  }
}

/** What the relays read of an answer (undici's body has the same methods), over bytes already here. */
class WholeBody implements UpstreamBody {
  constructor(private readonly bytes: Buffer) {}

  async arrayBuffer(): Promise<ArrayBuffer> {
    const { bytes } = this;
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return this.bytes.toString('utf8');
  }

  async dump(): Promise<void> {
    // Nothing to drain: the connection went back to the pool when the answer completed.
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    if (this.bytes.length > 0) yield this.bytes;
  }
}

/** undici's raw headers (name, value, name, value, ...) as Node gives them: lower-case names, repeats in arrays. */
export function parseRawHeaders(raw: Buffer[]): Headers {
  // No prototype: an upstream's `__proto__` header is a header like any other.
  const headers: Record<string, string | string[]> = Object.create(null);
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toString('latin1').toLowerCase();
    const value = raw[i + 1].toString('latin1');
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else headers[name] = [existing, value];
  }
  return headers as Headers;
}
