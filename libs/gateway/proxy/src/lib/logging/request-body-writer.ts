import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { RequestBodyRepository, type RequestBody } from '@synapse/gateway/persistence';
import { BODY_CAPTURE_OPTIONS, BodyRedactor, type BodyCaptureOptions } from './body-redactor';
import { REQUEST_LOG_OPTIONS, type RequestLogWriterOptions } from './request-log-writer';
import { WriteBackoff } from './write-backoff';
import { writeDroppingRefused } from './write-dropping-refused';

/** What the pipeline hands over for a call that captures bodies: raw, made fit to store later. */
export interface CapturedBodies {
  request: string | null;
  /** The JSON answer as received, or a stream's assembled text; null when none came. */
  response: Buffer | string | null;
}

interface Queued extends CapturedBodies {
  requestId: string;
  createdAt: Date;
}

/** Bodies per write: they are larger than log rows. */
const WRITE_SLICE = 50;

/**
 * Writes captured bodies in batches off the request path, like RequestLogWriter: redaction and the
 * size cap happen here, a failed write is retried, a body the store refuses for what it holds is
 * dropped (named in the log), and shutdown waits until the queue is written.
 */
@Injectable()
export class RequestBodyWriter implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(RequestBodyWriter.name);
  private readonly redactor: BodyRedactor;
  private queue: Queued[] = [];
  private failed: RequestBody[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly backoff: WriteBackoff;

  constructor(
    private readonly repository: RequestBodyRepository,
    @Inject(REQUEST_LOG_OPTIONS) private readonly options: RequestLogWriterOptions,
    @Inject(BODY_CAPTURE_OPTIONS) capture: BodyCaptureOptions,
  ) {
    this.redactor = new BodyRedactor(capture);
    this.backoff = new WriteBackoff(options.flushIntervalMs);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => {
      if (this.backoff.due()) void this.flush();
    }, this.options.flushIntervalMs);
    this.timer.unref();
  }

  record(requestId: string, createdAt: Date, bodies: CapturedBodies): void {
    this.queue.push({ requestId, createdAt, request: bodies.request, response: bodies.response });
    const max = this.options.maxQueued ?? 100_000;
    if (this.queue.length > max) {
      const dropped = this.queue.splice(0, this.queue.length - max);
      this.logger.error(`request body queue full: dropped ${dropped.length} oldest bodies`);
    }
    if (this.queue.length >= this.options.batchSize && !this.flushing && this.backoff.due()) void this.flush();
  }

  get pending(): number {
    return this.queue.length + this.failed.length;
  }

  flush(): Promise<void> {
    this.flushing ??= this.writeQueued().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    for (let attempt = 1; this.pending > 0 || this.flushing; attempt++) {
      await this.flush();
      if (this.pending > 0) {
        if (attempt >= 5) {
          this.logger.error(`could not write ${this.pending} request bodies before shutdown`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  private async writeQueued(): Promise<void> {
    while (this.failed.length > 0 || this.queue.length > 0) {
      // A batch that failed is retried as prepared; new ones are redacted and capped now.
      const batch = this.failed.length
        ? this.failed.splice(0, this.failed.length)
        : this.queue.splice(0, Math.min(this.options.batchSize, WRITE_SLICE)).map((q) => this.prepare(q));
      const { unwritten, error, dropped } = await writeDroppingRefused(
        batch,
        (bodies) => this.repository.insertMany(bodies),
        (body) => body.requestId,
      );
      if (dropped.length > 0) {
        this.logger.error(`the store refused ${dropped.length} request bodies, dropped: ${dropped.join('; ')}`);
      }
      if (unwritten.length > 0) {
        this.failed = unwritten;
        const delay = this.backoff.failed();
        this.logger.error(
          `writing ${unwritten.length} request bodies failed: ${(error as Error).message}; ` +
            `they are kept, next attempt in ${delay} ms (failure ${this.backoff.failing} in a row)`,
        );
        return;
      }
      const ended = this.backoff.succeeded();
      if (ended > 0) this.logger.log(`request bodies are written again, after ${ended} failed attempts`);
      if (this.queue.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private prepare(queued: Queued): RequestBody {
    const request = this.redactor.prepare(queued.request);
    const response = this.redactor.prepare(queued.response);
    return {
      requestId: queued.requestId,
      createdAt: queued.createdAt,
      request: request.text,
      response: response.text,
      requestTruncated: request.truncated,
      responseTruncated: response.truncated,
    };
  }
}
