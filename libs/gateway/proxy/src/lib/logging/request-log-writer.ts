import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { RequestLogRepository, type RequestLogEntry } from '@synapse/gateway/persistence';
import { redactHeaderValues } from './request-headers';

export interface RequestLogWriterOptions {
  batchSize: number;
  flushIntervalMs: number;
  /** Entries held while the store is down; past this the oldest are dropped, loudly. */
  maxQueued?: number;
}

export const REQUEST_LOG_OPTIONS = Symbol('REQUEST_LOG_OPTIONS');

/** Entries per write: small enough that one write never stalls the event loop for long. */
const WRITE_SLICE = 100;

/**
 * Collects request log entries in memory and writes them in batches, off the request path.
 * A failed write keeps the batch for the next attempt; shutdown waits until everything is written.
 */
@Injectable()
export class RequestLogWriter implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(RequestLogWriter.name);
  private queue: RequestLogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private observers: ((entry: RequestLogEntry) => void)[] = [];

  constructor(
    private readonly repository: RequestLogRepository,
    @Inject(REQUEST_LOG_OPTIONS) private readonly options: RequestLogWriterOptions,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /**
   * Calls `observer` with every entry as it is recorded (live monitoring), on the event loop turn
   * of the call's end: it must be quick and must not keep or change the entry. Returns the way out.
   */
  observe(observer: (entry: RequestLogEntry) => void): () => void {
    this.observers = [...this.observers, observer];
    return () => (this.observers = this.observers.filter((o) => o !== observer));
  }

  record(entry: RequestLogEntry): void {
    for (const observer of this.observers) {
      try {
        observer(entry);
      } catch (error) {
        this.logger.error(`request log observer failed: ${(error as Error).message}`);
      }
    }
    this.queue.push(entry);
    const max = this.options.maxQueued ?? 100_000;
    if (this.queue.length > max) {
      const dropped = this.queue.splice(0, this.queue.length - max);
      this.logger.error(`request log queue full: dropped ${dropped.length} oldest entries`);
    }
    if (this.queue.length >= this.options.batchSize && !this.flushing) void this.flush();
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Writes what is queued; concurrent calls share one write loop. */
  flush(): Promise<void> {
    this.flushing ??= this.writeQueued().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    for (let attempt = 1; this.queue.length > 0 || this.flushing; attempt++) {
      await this.flush();
      if (this.queue.length > 0) {
        if (attempt >= 5) {
          this.logger.error(`could not write ${this.queue.length} request log entries before shutdown`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, Math.min(this.options.batchSize, WRITE_SLICE));
      // Redacting again after a failed write changes nothing: `[redacted]` matches no pattern.
      for (const entry of batch) {
        if (entry.requestHeaders) entry.requestHeaders = redactHeaderValues(entry.requestHeaders);
      }
      try {
        await this.repository.insertMany(batch);
      } catch (error) {
        this.queue.unshift(...batch);
        this.logger.error(`writing ${batch.length} request log entries failed: ${(error as Error).message}`);
        return;
      }
      // SQLite writes run on the event loop: yield between slices so proxied requests keep flowing.
      if (this.queue.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
