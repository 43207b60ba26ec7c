import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';

const WORKER_FILE = 'request-log.worker.js';

/** The worker script: beside this file in the sources, in `workers/` beside the gateway bundle. */
function workerPath(): string {
  const candidates = [join(__dirname, WORKER_FILE), join(__dirname, 'workers', WORKER_FILE)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`SQLite writer script not found; looked in ${candidates.join(', ')}`);
  return found;
}

/** A statement the writer thread ran and SQLite refused, with SQLite's code (`SQLITE_CONSTRAINT_NOTNULL`, ...). */
export class SqliteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

interface Pending {
  resolve: (answer: Answer) => void;
  reject: (error: Error) => void;
}

interface Answer {
  id: number;
  error?: string;
  code?: string;
  changes?: number;
  rows?: Record<string, unknown>[];
  groups?: Record<string, unknown>[] | null;
}

/** What the thread tracks for the usage rollup: the INSERT's columns by position, the latency buckets' bounds. */
export interface UsageTracking {
  columns: readonly string[];
  latencyBounds: readonly number[];
}

/** A thread that died is started again at its next message, but not sooner than this after it died. */
export const THREAD_RESTART_DELAY_MS = 1_000;
/**
 * Reader threads at most: a search that walks the log and the dashboards' or alerts' reads run
 * side by side instead of one after the other. Each costs ~6-9 MB; the second starts only when a
 * read arrives while the first is busy.
 */
export const MAX_READER_THREADS = 2;

const logger = new Logger('Store');

/**
 * One worker thread running the script, and the answers it owes. A thread that dies (out of
 * memory, a fault in the driver) fails what it owed and is started again, with the same data,
 * at the first message THREAD_RESTART_DELAY_MS or more after it died; a closed one stays closed.
 */
class SqliteWorker {
  private worker!: Worker;
  private readonly pending = new Map<number, Pending>();
  private sequence = 0;
  private failure: Error | undefined;
  private closing = false;
  /** When the thread stopped without being closed. */
  private diedAt: number | undefined;

  constructor(
    private readonly role: 'writer' | 'reader',
    private readonly workerData: object,
  ) {
    this.start();
  }

  /** Messages sent and not answered yet. */
  get queued(): number {
    return this.pending.size;
  }

  /** Alive, or dead long enough to be started again by the next message. */
  get usable(): boolean {
    return this.diedAt === undefined || Date.now() - this.diedAt >= THREAD_RESTART_DELAY_MS;
  }

  send(message: object): Promise<Answer> {
    if (this.diedAt !== undefined && this.usable) {
      logger.warn(`The SQLite log ${this.role} thread died; starting it again`);
      this.start();
    }
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.sequence;
    return new Promise<Answer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, ...message });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.failure) return;
    await this.send({ close: true });
    await this.worker.terminate();
  }

  private start(): void {
    const worker = new Worker(workerPath(), { workerData: this.workerData });
    this.worker = worker;
    this.failure = undefined;
    this.diedAt = undefined;
    worker.on('message', (message: Answer) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.error) waiting?.reject(new SqliteError(message.error, message.code));
      else waiting?.resolve(message);
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => {
      this.failAll(new Error(`SQLite thread exited (${code})`));
      if (!this.closing) this.diedAt = Date.now();
    });
    // An idle thread does not keep the process alive; one with work in flight does (see send).
    worker.unref();
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

/**
 * Runs one prepared INSERT in a worker thread, one transaction per batch of rows (and, between
 * batches, other writes). Long reads run in reader threads, started on demand (MAX_READER_THREADS),
 * each on a connection of its own: WAL lets them read while the writer writes, so a search that
 * walks the log does not hold up its batches, nor they the search, nor it the other reads while a
 * reader is free.
 *
 * A thread that dies is started again (SqliteWorker): the log's batches are spilled meanwhile, as
 * during any outage, and written on return (SQLite rolls back the batch it died in, and a batch
 * written whose answer was lost is skipped row by row when sent again). A new writer keeps no
 * sums of the rows before it: the usage rollup's next run reads those minutes from the log.
 */
export class SqliteLogThreads {
  private readonly writer: SqliteWorker;
  private readonly readers: SqliteWorker[] = [];

  /** `usage`: sum the rows written for the usage rollup (`drainUsage`); the request log's thread only. */
  constructor(
    private readonly file: string,
    sql: string,
    usage?: UsageTracking,
  ) {
    this.writer = new SqliteWorker('writer', { file, sql, usage });
  }

  /** An idle reader, else a new one while there is room for it, else the least busy. */
  private get reader(): SqliteWorker {
    const usable = this.readers.filter((reader) => reader.usable);
    const idle = usable.find((reader) => reader.queued === 0);
    if (idle) return idle;
    if (this.readers.length < MAX_READER_THREADS) {
      const started = new SqliteWorker('reader', { file: this.file, readOnly: true });
      this.readers.push(started);
      return started;
    }
    // All busy, or dead and waiting for their restart (the read then fails as the thread did).
    return (usable.length ? usable : this.readers).reduce((a, b) => (b.queued < a.queued ? b : a));
  }

  /** `rows` is a JSON array of parameter arrays, one per row. */
  async insert(rows: string): Promise<void> {
    await this.writer.send({ rows });
  }

  /** Runs another statement on the writer's connection, after the writes queued before it; returns the rows changed. */
  async exec(sql: string, params: readonly unknown[]): Promise<number> {
    return (await this.writer.send({ exec: { sql, params } })).changes ?? 0;
  }

  /** Runs writes in one transaction on the writer's connection (all or none); returns the rows changed. */
  async execAll(statements: readonly { sql: string; params: readonly unknown[] }[]): Promise<number> {
    return (await this.writer.send({ execAll: statements })).changes ?? 0;
  }

  /**
   * Runs a query on a reader thread and returns its rows: for reads long enough to stall the
   * event loop. It sees every write that had finished when it started (writes still queued may
   * or may not be in it), as another connection would.
   */
  async query(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
    return (await this.reader.send({ query: { sql, params } })).rows ?? [];
  }

  /**
   * Hands over the sums of the rows this thread wrote since the previous call for the minutes in
   * [from, to) (`2026-01-31 12:00`), forgetting older ones, and runs `countSql` (the log's calls
   * per minute, two parameters: the bounds as created_at text) at the same instant: over [from,
   * to), or with `onlyWritten` over the minutes those rows fell in. The first call starts the
   * tracking: its groups are null, as they are when the thread does not track usage.
   */
  async drainUsage(
    countSql: string,
    from: string,
    to: string,
    onlyWritten: boolean,
  ): Promise<{ counts: Record<string, unknown>[]; groups: Record<string, unknown>[] | null }> {
    const answer = await this.writer.send({ drainUsage: { countSql, from, to, onlyWritten } });
    return { counts: answer.rows ?? [], groups: answer.groups ?? null };
  }

  async close(): Promise<void> {
    await Promise.all([this.writer, ...this.readers].map((thread) => thread.close()));
  }
}
