import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { RequestLogRepository, StoreAvailability, type RequestLogEntry } from '@synapse/gateway/persistence';
import { RequestLogSpill } from './request-log-spill';
import { redactHeaderValues } from './request-headers';
import { WriteBackoff } from './write-backoff';
import { writeDroppingRefused } from './write-dropping-refused';

export interface RequestLogWriterOptions {
  batchSize: number;
  flushIntervalMs: number;
  /** Entries held in memory while the store is down; past this the oldest go to `spillDir`. */
  maxQueued?: number;
  /** Where entries past `maxQueued`, and those left at shutdown, wait for the store (DATA_DIR/request-log-spill). */
  spillDir?: string;
}

export const REQUEST_LOG_OPTIONS = Symbol('REQUEST_LOG_OPTIONS');

/** Entries per write: small enough that one write never stalls the event loop for long. */
const WRITE_SLICE = 100;

/**
 * Collects request log entries in memory and writes them in batches, off the request path.
 * A failed write keeps the batch for the next attempt; an entry the store refuses for what it holds
 * is dropped (named in the log) rather than holding back every entry after it. While the store is down, entries past
 * `maxQueued` are kept on disk and written once it is back (oldest first); shutdown writes
 * everything, or keeps on disk what the store would not take, for the next start to write.
 */
@Injectable()
export class RequestLogWriter implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(RequestLogWriter.name);
  private queue: RequestLogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private observers: ((entry: RequestLogEntry) => void)[] = [];
  private readonly spill: RequestLogSpill | undefined;
  /** Whether spilled files may be waiting: checked at start, set by every spill. */
  private spilled = false;
  private readonly backoff: WriteBackoff;

  constructor(
    private readonly repository: RequestLogRepository,
    @Inject(REQUEST_LOG_OPTIONS) private readonly options: RequestLogWriterOptions,
    @Optional() private readonly availability?: StoreAvailability,
  ) {
    this.spill = options.spillDir ? new RequestLogSpill(options.spillDir) : undefined;
    this.backoff = new WriteBackoff(options.flushIntervalMs);
  }

  onModuleInit(): void {
    this.spilled = (this.spill?.files().length ?? 0) > 0;
    this.timer = setInterval(() => {
      if (this.due()) void this.flush();
    }, this.options.flushIntervalMs);
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
    if (this.queue.length > max) this.overflow(max);
    if (this.queue.length >= this.options.batchSize && !this.flushing && this.due()) void this.flush();
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Whether a write may start: always, unless the last attempts failed and their wait is not over. */
  private due(): boolean {
    // A PostgreSQL store that failed is marked down; its probe says when it answers again.
    return this.backoff.due() || (this.availability?.probed === true && this.availability.up);
  }

  /** Writes what is queued; concurrent calls share one write loop. */
  flush(): Promise<void> {
    this.flushing ??= this.writeQueued().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    const attempts = this.spill ? 3 : 5;
    for (let attempt = 1; this.queue.length > 0 || this.flushing; attempt++) {
      await this.flush();
      if (this.queue.length > 0) {
        if (attempt >= attempts) break;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
    if (this.queue.length === 0) return;
    if (this.spill) {
      this.spill.keep(redactHeaders(this.queue.splice(0)));
      this.logger.warn(`the store did not answer: request log entries kept in ${this.spill.dir} for the next start`);
    } else {
      this.logger.error(`could not write ${this.queue.length} request log entries before shutdown`);
    }
  }

  /** The store is not keeping up (or is down): the oldest entries go to disk, or are dropped without a spill folder. */
  private overflow(max: number): void {
    // Down to half the bound, so that the next spill is not one entry later.
    const oldest = this.queue.splice(0, this.queue.length - Math.floor(max / 2));
    if (!this.spill) {
      this.logger.error(`request log queue full: dropped ${oldest.length} oldest entries`);
      return;
    }
    try {
      this.spill.keep(redactHeaders(oldest));
      this.spilled = true;
    } catch (error) {
      this.logger.error(
        `request log queue full, and spilling failed (${(error as Error).message}): dropped ${oldest.length} entries`,
      );
    }
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, Math.min(this.options.batchSize, WRITE_SLICE));
      redactHeaders(batch);
      const unwritten = await this.write(batch);
      if (unwritten.length > 0) {
        this.queue.unshift(...unwritten);
        return;
      }
      // SQLite writes run on the event loop: yield between slices so proxied requests keep flowing.
      if (this.queue.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (this.spilled) await this.writeSpilled();
  }

  /**
   * Writes a batch; returns what could not be written because the store did not take it (to keep
   * for the next attempt). A batch refused for what it holds is written entry by entry, and an
   * entry the store refuses on its own is dropped: sending it again could never succeed.
   */
  private async write(batch: RequestLogEntry[]): Promise<RequestLogEntry[]> {
    const { unwritten, error, dropped } = await writeDroppingRefused(
      batch,
      (entries) => this.repository.insertMany(entries),
      (entry) => entry.id,
    );
    if (dropped.length > 0) {
      this.logger.error(`the store refused ${dropped.length} request log entries, dropped: ${dropped.join('; ')}`);
    }
    if (unwritten.length > 0) return this.failed(unwritten, error);
    this.recovered();
    return [];
  }

  private failed(unwritten: RequestLogEntry[], error: unknown): RequestLogEntry[] {
    this.availability?.reportFailure();
    const delay = this.backoff.failed();
    this.logger.error(
      `writing ${unwritten.length} request log entries failed: ${(error as Error).message}; ` +
        `they are kept, next attempt in ${delay} ms (failure ${this.backoff.failing} in a row)`,
    );
    return unwritten;
  }

  private recovered(): void {
    const ended = this.backoff.succeeded();
    if (ended === 0) return;
    this.logger.log(`request log entries are written again, after ${ended} failed attempts`);
  }

  /** Writes spilled files, oldest first, once the queue is written (the store answers again). */
  private async writeSpilled(): Promise<void> {
    const spill = this.spill as RequestLogSpill;
    for (const file of spill.files()) {
      const entries = spill.read(file);
      for (let i = 0; i < entries.length; i += WRITE_SLICE) {
        // Slices already written are skipped by id if the file is written again after a failure.
        if ((await this.write(entries.slice(i, i + WRITE_SLICE))).length > 0) return;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      spill.remove(file);
      this.logger.log(`wrote ${entries.length} request log entries kept on disk (${file})`);
    }
    this.spilled = false;
  }
}

/**
 * Secret-looking header values replaced, off the request path, before entries reach the store or
 * a spill file. Redacting again after a failed write changes nothing: `[redacted]` matches no pattern.
 */
function redactHeaders(entries: RequestLogEntry[]): RequestLogEntry[] {
  for (const entry of entries) {
    if (entry.requestHeaders) entry.requestHeaders = redactHeaderValues(entry.requestHeaders);
  }
  return entries;
}
