import Database from 'better-sqlite3';
import { join } from 'node:path';

/** Reads rows straight from a gateway's SQLite file (read-only, safe while it runs: WAL). */
export function sqliteRows<T>(dataDir: string, sql: string): T[] {
  const db = new Database(join(dataDir, 'synapse.db'), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** Changes rows in a gateway's SQLite file, as a test's stand-in for the passing of time; returns how many. */
export function sqliteRun(dataDir: string, sql: string, ...params: unknown[]): number {
  const db = new Database(join(dataDir, 'synapse.db'));
  try {
    db.pragma('busy_timeout = 5000');
    return db.prepare(sql).run(...params).changes;
  } finally {
    db.close();
  }
}
