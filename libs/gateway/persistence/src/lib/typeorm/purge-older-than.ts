import type { SqliteLogThreads } from '../sqlite/sqlite-log-threads';
import type { Store } from './data-source';
import { sqliteDatetime } from './sqlite-datetime';

/** The table, its key and its time column; names from code, never from input. */
export interface PurgeTable {
  table: string;
  id: string;
  time: string;
}

/**
 * The statement that deletes at most `limit` rows older than `before`, oldest first. SQLite is
 * built without DELETE … LIMIT, so the ids are chosen by a subquery (the same on both stores).
 */
function purgeStatement(store: Store, target: PurgeTable, before: Date, limit: number) {
  const sqlite = store.dialect === 'sqlite';
  const [cutoff, max] = sqlite ? ['?', '?'] : ['$1', '$2'];
  const { table, id, time } = target;
  return {
    sql:
      `DELETE FROM ${table} WHERE ${id} IN ` +
      `(SELECT ${id} FROM ${table} WHERE ${time} < ${cutoff} ORDER BY ${time} LIMIT ${max})`,
    params: [sqlite ? sqliteDatetime(before) : before, limit],
  };
}

/**
 * Deletes at most `limit` rows older than `before` in one short statement and returns how many
 * went. On SQLite a table written from a writer thread is purged on that thread (`writer`), so
 * that the delete never stalls the event loop; otherwise each batch is its own transaction, which
 * on SQLite queues behind the writes in progress instead of landing inside one of them.
 */
export function purgeOlderThan(
  store: Store,
  target: PurgeTable,
  before: Date,
  limit: number,
  writer?: () => SqliteLogThreads,
): Promise<number> {
  const { sql, params } = purgeStatement(store, target, before, limit);
  if (store.dialect === 'sqlite' && writer) return writer().exec(sql, params);
  return store.transaction(async (manager) => {
    if (!manager.queryRunner) throw new Error('a transaction without a query runner');
    const result = await manager.queryRunner.query(sql, params, true);
    return (result as { affected?: number }).affected ?? 0;
  });
}
