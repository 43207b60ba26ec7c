import type { Store } from './data-source';
import { sqliteDatetime } from './sqlite-datetime';

/** The table, its key and its time column; names from code, never from input. */
export interface PurgeTable {
  table: string;
  id: string;
  time: string;
}

/**
 * Deletes at most `limit` rows older than `before`, oldest first, in one short statement, and
 * returns how many went. SQLite is built without DELETE … LIMIT, so the ids are chosen by a
 * subquery (the same on both stores). Each batch is its own transaction: on SQLite it queues
 * behind the writes in progress instead of landing inside one of them.
 */
export function purgeOlderThan(store: Store, target: PurgeTable, before: Date, limit: number): Promise<number> {
  const sqlite = store.dialect === 'sqlite';
  const [cutoff, max] = sqlite ? ['?', '?'] : ['$1', '$2'];
  const { table, id, time } = target;
  const sql =
    `DELETE FROM ${table} WHERE ${id} IN ` +
    `(SELECT ${id} FROM ${table} WHERE ${time} < ${cutoff} ORDER BY ${time} LIMIT ${max})`;
  return store.transaction(async (manager) => {
    if (!manager.queryRunner) throw new Error('a transaction without a query runner');
    const result = await manager.queryRunner.query(sql, [sqlite ? sqliteDatetime(before) : before, limit], true);
    return (result as { affected?: number }).affected ?? 0;
  });
}
