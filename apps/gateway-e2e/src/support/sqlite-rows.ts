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
