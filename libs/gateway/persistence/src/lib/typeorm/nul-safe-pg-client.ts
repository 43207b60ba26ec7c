import type { Client } from 'pg';

/**
 * The pool's client class for PostgreSQL, whose text cannot hold NUL (U+0000): a string parameter
 * with one failed its whole statement (`invalid byte sequence for encoding "UTF8": 0x00`), be it
 * a batch of rows or a search for a name a caller sent, which then answered with an internal
 * error; a log row, a captured body or a Dify turn was lost. Each NUL of a string parameter goes
 * as U+FFFD: the row is kept, and a search with the same text finds it. SQLite keeps NUL as it is.
 */
export function nulSafeClient(): typeof Client {
  // Loaded here, not at the top: a gateway on SQLite never needs pg in its memory.
  const pg = require('pg') as typeof import('pg');
  return class NulSafeClient extends pg.Client {
    // pg's overloads (text or config, values, callback) are passed through as they came.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(config: any, values?: any, callback?: any): any {
      if (Array.isArray(values)) return super.query(config, values.map(withoutNulParameter), callback);
      if (config && typeof config === 'object' && Array.isArray(config.values) && typeof config.submit !== 'function') {
        return super.query({ ...config, values: config.values.map(withoutNulParameter) }, values, callback);
      }
      return super.query(config, values, callback);
    }
  };
}

function withoutNulParameter(value: unknown): unknown {
  return typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '\ufffd') : value;
}
