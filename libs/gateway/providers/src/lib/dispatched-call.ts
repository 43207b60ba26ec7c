import type { Dispatcher, Pool } from 'undici';
import { answerCoding, decodeWhole, DecodedStream, type AnswerCoding } from './answer-encoding';
import { classifyUpstreamError, closedWhileIdle, UpstreamFailure } from './upstream-failure';
import type { UpstreamBody, UpstreamCall, UpstreamResponse } from './upstream-client';

type Headers = UpstreamResponse['headers'];

/** Largest answer read whole, unless told (MAX_ANSWER_BYTES): past it the call ends, 502. */
export const DEFAULT_MAX_ANSWER_BYTES = 256 * 1024 * 1024;

/** The failure of an answer past the bound: the upstream's (a wrong base URL, a runaway server). */
export function answerTooLarge(maxBytes: number): UpstreamFailure {
  return new UpstreamFailure(
    'invalid_response',
    `the upstream's answer is larger than MAX_ANSWER_BYTES (${maxBytes} bytes): not read further`,
  );
}

/**
 * One upstream call through undici's `dispatch`, with this object as its handler. undici's `request`
 * wraps every call in a promise, an async resource and a body stream (a Node Readable, read here
 * through its async iterator); a handler does without them: about 6 µs less per call
 * (docs/benchmark.md). The call, the handler and the timer are one object; the two kinds differ in
 * when the answer is handed over: whole (WholeBodyCall) or as its headers arrive (StreamedCall).
 */
abstract class DispatchedCall implements UpstreamCall, Dispatcher.DispatchHandler {
  readonly response: Promise<UpstreamResponse>;
  private resolveResponse!: (response: UpstreamResponse) => void;
  private rejectResponse!: (error: unknown) => void;
  /** Whether `response` has resolved or rejected. */
  protected settled = false;
  private reason: UpstreamFailure | undefined;
  /** undici's way to end the request, once it has a connection. */
  private abortRequest: ((error: Error) => void) | undefined;
  protected readonly timer: NodeJS.Timeout;
  /** Whether the upstream began to answer (a status line other than 1xx): from then on the call is not sent again. */
  protected answering = false;
  /** Whether the call went again after its kept-alive connection closed under it (once at most). */
  private sentAgain = false;

  constructor(
    private readonly pool: Pool,
    private readonly options: Dispatcher.DispatchOptions,
    totalMs: number,
    /** Largest answer read whole: a bigger one would hold that much memory, or more than a string can. */
    protected readonly maxBytes: number,
  ) {
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

  /** Ends the call: undici's request if it has a connection, and what is pending of the answer. */
  cancel(failure: UpstreamFailure): void {
    if (this.reason) return;
    this.reason = failure;
    this.abortRequest?.(failure);
    // A call queued behind a busy pool has no connection yet: it fails now, not when one frees.
    this.fail(failure);
  }

  // undici's handler: the DispatchHandler methods it calls without a wrapper.

  onConnect(abort: (error?: Error) => void): void {
    if (this.reason) abort(this.reason);
    else this.abortRequest = abort;
  }

  abstract onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean;
  abstract onData(chunk: Buffer): boolean;
  abstract onComplete(): void;

  onError(error: Error): void {
    if (!this.answering && !this.sentAgain && !this.reason && closedWhileIdle(error)) {
      this.sentAgain = true;
      this.abortRequest = undefined;
      // After undici is done with the closed connection; the call's timer runs on.
      setImmediate(sendAgain, this);
      return;
    }
    clearTimeout(this.timer);
    this.fail(error);
  }

  /** The call once more, on a connection the pool picks or opens (the closed one is gone from it). */
  dispatchAgain(): void {
    if (!this.reason) this.pool.dispatch(this.options, this);
  }

  /** A failure before or after the answer was handed over. */
  protected fail(error: unknown): void {
    this.reject(error);
  }

  protected resolve(response: UpstreamResponse): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveResponse(response);
  }

  protected reject(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectResponse(this.classify(error));
  }
}

function sendAgain(call: DispatchedCall): void {
  call.dispatchAgain();
}

function timeOut(call: DispatchedCall): void {
  call.cancel(new UpstreamFailure('timeout', 'upstream did not finish in time'));
}

/** A call whose answer settles once the body is all in (anything but a stream). */
export class WholeBodyCall extends DispatchedCall {
  private statusCode = 0;
  private rawHeaders: Buffer[] = [];
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private coding: AnswerCoding | undefined;

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    if (statusCode < 200) return true; // 103 Early Hints and the like: the answer follows.
    this.answering = true;
    const coding = answerCoding(rawHeaders);
    if (coding instanceof UpstreamFailure) {
      this.cancel(coding);
      return false;
    }
    this.coding = coding;
    this.statusCode = statusCode;
    this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.chunks.length = 0;
      this.cancel(answerTooLarge(this.maxBytes));
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    // Nothing is left to time: the answer is all here.
    clearTimeout(this.timer);
    const bytes = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
    if (this.coding === undefined) {
      this.resolve(new DispatchedResponse(this.statusCode, this.rawHeaders, new WholeBody(bytes)));
      return;
    }
    decodeWhole(this.coding, bytes, this.maxBytes, answerTooLarge(this.maxBytes)).then(
      (decoded) => this.resolve(new DispatchedResponse(this.statusCode, this.rawHeaders, new WholeBody(decoded))),
      (failure: unknown) => this.reject(failure),
    );
  }
}

/**
 * A call whose answer is handed over with its headers, the body read as it arrives (streams). A
 * reader that falls behind pauses the upstream socket (past HIGH_WATER bytes queued) rather than
 * letting the queue grow.
 */
export class StreamedCall extends DispatchedCall {
  private body: StreamedBody | undefined;
  /** Set when the answer is compressed: chunks go through it to the body. */
  private decoded: DecodedStream | undefined;

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    // 103 Early Hints and the like: the answer follows (handed over, the caller waited for ever).
    if (statusCode < 200) return true;
    this.answering = true;
    const coding = answerCoding(rawHeaders);
    if (coding instanceof UpstreamFailure) {
      this.cancel(coding);
      return false;
    }
    if (coding === undefined) {
      this.body = new StreamedBody(resume, this, this.maxBytes);
    } else {
      const body = new StreamedBody(() => decoded.resume(), this, this.maxBytes);
      const decoded = new DecodedStream(coding, body, resume, (failure) => this.cancel(failure));
      this.body = body;
      this.decoded = decoded;
    }
    this.resolve(new DispatchedResponse(statusCode, rawHeaders, this.body));
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.decoded) return this.decoded.write(chunk);
    return this.body ? this.body.push(chunk) : true;
  }

  onComplete(): void {
    clearTimeout(this.timer);
    if (this.decoded) this.decoded.end();
    else this.body?.end();
  }

  protected override fail(error: unknown): void {
    this.decoded?.destroy();
    // Once the answer is out, a failure is the body's: its reader gets it, classified by the call.
    if (this.settled) this.body?.fail(error);
    else this.reject(error);
  }
}

/** An answer's status and headers, parsed only when asked for (most calls want one or two). */
class DispatchedResponse implements UpstreamResponse {
  private parsed: Headers | undefined;

  constructor(
    readonly statusCode: number,
    private readonly rawHeaders: Buffer[],
    readonly body: UpstreamBody,
  ) {}

  get headers(): Headers {
    return (this.parsed ??= parseRawHeaders(this.rawHeaders));
  }

  /** One header's first value, found without parsing the others (a relay wants its content type only). */
  header(name: string): string | undefined {
    if (this.parsed) return firstValue(this.parsed[name]);
    const raw = this.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const key = raw[i];
      if (key.length === name.length && key.toString('latin1').toLowerCase() === name) {
        return raw[i + 1].toString('latin1');
      }
    }
    return undefined;
  }
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * What the relays read of an answer (undici's body has the same methods), over bytes already here:
 * an answer read whole, or one the gateway made of an upstream's (a stream added up, a whole
 * answer as events).
 */
export class WholeBody implements UpstreamBody {
  constructor(private readonly received: Buffer) {}

  get whole(): Buffer {
    return this.received;
  }

  async peek(): Promise<Buffer | undefined> {
    return this.received.length > 0 ? this.received : undefined;
  }

  // The received bytes themselves: the copy into a fresh ArrayBuffer it replaces showed 1.6 µs of self
  // time a call in a profile, and an off-heap allocation (benchmark.md).
  async bytes(): Promise<Buffer> {
    return this.received;
  }

  async text(): Promise<string> {
    return this.received.toString('utf8');
  }

  async dump(): Promise<void> {
    // Nothing to drain: the connection went back to the pool when the answer completed.
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    if (this.received.length > 0) yield this.received;
  }
}

/** Bytes queued for a slow reader before the upstream socket is paused, and when it resumes. */
const HIGH_WATER = 64 * 1024;
const LOW_WATER = 16 * 1024;
/** What `dump()` reads of an unwanted body before it ends the call instead (undici's default). */
const DUMP_LIMIT = 128 * 1024;

/** A body read as it arrives: an async iterator over the chunks undici hands the call. */
class StreamedBody implements UpstreamBody, AsyncIterator<Buffer> {
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private paused = false;
  private ended = false;
  private error: unknown;
  private waiting: { resolve: (result: IteratorResult<Buffer>) => void; reject: (error: unknown) => void } | undefined;

  constructor(
    private readonly resume: () => void,
    private readonly call: DispatchedCall,
    /** What `bytes()` and `text()` read at most (a stream read as it comes is not bounded). */
    private readonly maxBytes: number,
  ) {}

  /** A chunk from undici; false asks it to pause the socket until `resume`. */
  push(chunk: Buffer): boolean {
    const { waiting } = this;
    if (waiting) {
      this.waiting = undefined;
      waiting.resolve({ value: chunk, done: false });
      return true;
    }
    this.queue.push(chunk);
    this.queued += chunk.length;
    if (this.queued < HIGH_WATER) return true;
    this.paused = true;
    return false;
  }

  end(): void {
    this.ended = true;
    const { waiting } = this;
    if (waiting) {
      this.waiting = undefined;
      waiting.resolve({ value: undefined, done: true });
    }
  }

  fail(error: unknown): void {
    if (this.ended || this.error !== undefined) return;
    this.error = this.call.classify(error);
    const { waiting } = this;
    if (waiting) {
      this.waiting = undefined;
      waiting.reject(this.error);
    }
  }

  next(): Promise<IteratorResult<Buffer>> {
    const chunk = this.queue.shift();
    if (chunk) {
      this.queued -= chunk.length;
      if (this.paused && this.queued <= LOW_WATER) {
        this.paused = false;
        this.resume();
      }
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.error !== undefined) return Promise.reject(this.error);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** The first chunk, left in place for the reader; undefined at the end. */
  async peek(): Promise<Buffer | undefined> {
    const result = await this.next();
    if (result.done) return undefined;
    this.queue.unshift(result.value);
    this.queued += result.value.length;
    return result.value;
  }

  /** The reader stopped before the end (a `break`, or a throw in its loop): the call ends too. */
  return(): Promise<IteratorResult<Buffer>> {
    if (!this.ended) this.call.cancel(new UpstreamFailure('client_closed', 'the answer was not read to its end'));
    this.queue.length = 0;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this;
  }

  bytes(): Promise<Buffer> {
    return this.readWhole();
  }

  async text(): Promise<string> {
    return (await this.readWhole()).toString('utf8');
  }

  async dump(): Promise<void> {
    await this.readAll(DUMP_LIMIT).catch(() => undefined);
  }

  /** The whole body, up to the bound: past it the call ends, and the read fails as the upstream's. */
  private readWhole(): Promise<Buffer> {
    return this.readAll(this.maxBytes, answerTooLarge(this.maxBytes));
  }

  /** Reads to the end, or up to `limit` bytes and then ends the call (failing with `tooLarge`, when given). */
  private async readAll(limit: number, tooLarge?: UpstreamFailure): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for (let result = await this.next(); !result.done; result = await this.next()) {
      chunks.push(result.value);
      size += result.value.length;
      if (size > limit) {
        if (tooLarge) {
          this.call.cancel(tooLarge);
          this.queue.length = 0;
          throw tooLarge;
        }
        await this.return();
        break;
      }
    }
    return Buffer.concat(chunks, size);
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
