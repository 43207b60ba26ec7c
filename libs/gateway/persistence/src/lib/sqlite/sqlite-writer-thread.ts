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
}

/** Runs one prepared INSERT in a worker thread, one transaction per batch of rows (and, between batches, other statements and queries). */
export class SqliteWriterThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private sequence = 0;
  private failure: Error | undefined;

  constructor(file: string, sql: string) {
    this.worker = new Worker(workerPath(), { workerData: { file, sql } });
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

  /**
   * Runs a query on the writer's connection, after the writes queued before it, and returns its
   * rows: for reads long enough to stall the event loop. The writes queued after it wait for it.
   */
  async query(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
    return (await this.send({ query: { sql, params } })).rows ?? [];
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
