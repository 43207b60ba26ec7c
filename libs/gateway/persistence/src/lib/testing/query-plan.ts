import type { Store } from '../typeorm/data-source';

/**
 * The plan of a query as one string: SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN. PostgreSQL
 * would scan a test's small table whatever its indexes: it is told not to, so that the plan shows
 * which index can serve the query.
 */
export async function queryPlan(store: Store, sql: string, params: unknown[] = []): Promise<string> {
  if (store.dialect === 'sqlite') {
    const rows: { detail: string }[] = await store.dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, params);
    return rows.map((row) => row.detail).join('\n');
  }
  const rows: { 'QUERY PLAN': string }[] = await store.transaction(async (manager) => {
    await manager.query('SET LOCAL enable_seqscan = off');
    return manager.query(`EXPLAIN ${sql}`, params);
  });
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}
