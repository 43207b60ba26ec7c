import type { Client } from 'pg';
import { withoutNul } from '../models/storable-text';

/**
 * The pool's client class for PostgreSQL, whose text cannot hold NUL (U+0000): a string parameter
 * with one failed its whole statement (`invalid byte sequence for encoding "UTF8": 0x00`), be it
 * a batch of rows or a search for a name a caller sent, which then answered with an internal
 * error. Each NUL of a string parameter goes as U+FFFD, what the stores keep for it on SQLite too
 * (storable-text.ts): the row is kept, and a search for the name finds it.
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
  return typeof value === 'string' ? withoutNul(value) : value;
}
