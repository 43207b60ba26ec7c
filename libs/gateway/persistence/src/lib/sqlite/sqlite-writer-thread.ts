import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const WORKER_FILE = 'request-log.worker.js';

/** The worker script: beside this file in the sources, in `workers/` beside the gateway bundle. */
function workerPath(): string {
  const candidates = [join(__dirname, WORKER_FILE), join(__dirname, 'workers', WORKER_FILE)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`SQLite writer script not found; looked in ${candidates.join(', ')}`);
  return found;
}

/** A statement the writer thread ran and SQLite refused, with SQLite's code (`SQLITE_CONSTRAINT_NOTNULL`, ...). */
export class SqliteWriteError extends Error {
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

/** Runs one prepared INSERT in a worker thread, one transaction per batch of rows (and, between batches, other statements and queries). */
export class SqliteWriterThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private sequence = 0;
  private failure: Error | undefined;

  /** `usage`: sum the rows written for the usage rollup (`drainUsage`); the request log's thread only. */
  constructor(file: string, sql: string, usage?: UsageTracking) {
    this.worker = new Worker(workerPath(), { workerData: { file, sql, usage } });
    this.worker.on('message', (message: Answer) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (this.pending.size === 0) this.worker.unref();
      if (message.error) waiting?.reject(new SqliteWriteError(message.error, message.code));
      else waiting?.resolve(message);
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`SQLite writer thread exited (${code})`)));
    // An idle writer does not keep the process alive; one with writes in flight does (see send).
    this.worker.unref();
  }

  /** `rows` is a JSON array of parameter arrays, one per row. */
  async insert(rows: string): Promise<void> {
    await this.send({ rows });
  }

  /** Runs another statement on the writer's connection, after the writes queued before it; returns the rows changed. */
  async exec(sql: string, params: readonly unknown[]): Promise<number> {
    return (await this.send({ exec: { sql, params } })).changes ?? 0;
  }

  /** Runs writes in one transaction on the writer's connection (all or none); returns the rows changed. */
  async execAll(statements: readonly { sql: string; params: readonly unknown[] }[]): Promise<number> {
    return (await this.send({ execAll: statements })).changes ?? 0;
  }

  /**
   * Runs a query on the writer's connection, after the writes queued before it, and returns its
   * rows: for reads long enough to stall the event loop. The writes queued after it wait for it.
   */
  async query(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
    return (await this.send({ query: { sql, params } })).rows ?? [];
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
    const answer = await this.send({ drainUsage: { countSql, from, to, onlyWritten } });
    return { counts: answer.rows ?? [], groups: answer.groups ?? null };
  }

  async close(): Promise<void> {
    if (this.failure) return;
    await this.send({ close: true });
    await this.worker.terminate();
  }

  private send(message: object): Promise<Answer> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.sequence;
    return new Promise<Answer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, ...message });
    });
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
