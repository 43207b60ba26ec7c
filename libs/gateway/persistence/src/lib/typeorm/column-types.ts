import type { ColumnType } from 'typeorm';

export type SqlDialect = 'sqlite' | 'postgres';

/** The few column types that differ between the two SQL stores; everything else is shared. */
export function columnTypes(dialect: SqlDialect): { timestamp: ColumnType } {
  return { timestamp: dialect === 'postgres' ? 'timestamptz' : 'datetime' };
}
