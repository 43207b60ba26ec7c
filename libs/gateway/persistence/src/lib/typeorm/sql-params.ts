import type { SqlDialect } from './column-types';

/**
 * Builds the parameters of one raw statement: `add(value)` returns the dialect's placeholder
 * (`?` on SQLite, `$n` on PostgreSQL); times are bound as each store keeps them.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: SqlDialect) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'postgres' ? `$${this.values.length}` : '?';
  }

  time(date: Date): string {
    return this.add(this.dialect === 'postgres' ? date : sqliteTimestamp(date));
  }
}

/** TypeORM's SQLite datetime text (`2026-01-31 12:00:00.000`, UTC), which sorts and compares as time. */
export function sqliteTimestamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** A timestamp read by raw SQL: a Date from PostgreSQL, UTC text from SQLite. */
export function readTimestamp(value: Date | string): Date {
  return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
}

/**
 * The minute of a timestamp column in SQL. SQLite keeps times as `2026-01-31 12:00:00.000` (UTC):
 * the first 16 characters. Read the result back with `readMinute`.
 */
export function minuteOf(dialect: SqlDialect, column = 'created_at'): string {
  return dialect === 'postgres' ? `date_trunc('minute', ${column})` : `substr(${column}, 1, 16)`;
}

/** A minute as `minuteOf` answers it: a Date from PostgreSQL, `2026-01-31 12:00` from SQLite. */
export function readMinute(minute: unknown): Date {
  return readTimestamp(minute instanceof Date ? minute : `${minute as string}:00`);
}
