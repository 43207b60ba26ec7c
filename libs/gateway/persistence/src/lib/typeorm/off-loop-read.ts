import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { RawSqlResultsToEntityTransformer } from 'typeorm/query-builder/transformer/RawSqlResultsToEntityTransformer';
import type { SqliteLogThreads } from '../sqlite/sqlite-log-threads';
import type { Store } from './data-source';

/** Where a store's reads of the request log go on SQLite: the log's threads (SqliteLogThreads.query runs them on its reader). */
export type SqliteThreads = () => SqliteLogThreads;

/**
 * The raw rows of a read whose size follows the traffic (the rollup's sums, alert windows, a
 * month of spend). On SQLite a query holds the thread that runs it, so with `thread` it runs on
 * the request log's reader thread, never on the event loop; otherwise on the store's connection.
 * A query builder's parameters are taken as its driver encodes them (dates as SQLite text).
 */
export async function readOffLoop<T = Record<string, unknown>>(
  store: Store,
  thread: SqliteThreads | undefined,
  query: SelectQueryBuilder<ObjectLiteral> | { sql: string; params: unknown[] },
): Promise<T[]> {
  const built = 'getQueryAndParameters' in query;
  if (store.dialect === 'sqlite' && thread) {
    const [sql, params] = built ? query.getQueryAndParameters() : [query.sql, query.params];
    return (await thread().query(sql, params)) as T[];
  }
  return built ? query.getRawMany<T>() : ((await store.dataSource.query(query.sql, query.params)) as T[]);
}

/**
 * The entities of a query without joins (`getMany()`), its statement run like `readOffLoop`'s and
 * its rows turned into entities as TypeORM does (column types, transformers). For the admin's
 * reads of the log that scan when nothing matches: a search for a model never called walks the
 * whole log, 200-500 ms for a million rows.
 */
export async function entitiesOffLoop<T extends ObjectLiteral>(
  store: Store,
  thread: SqliteThreads | undefined,
  query: SelectQueryBuilder<T>,
): Promise<T[]> {
  if (store.dialect !== 'sqlite' || !thread) return query.getMany();
  const alias = query.expressionMap.mainAlias;
  if (!alias || query.expressionMap.joinAttributes.length > 0) {
    throw new Error('entitiesOffLoop: a query of one entity, without joins');
  }
  const [sql, params] = query.getQueryAndParameters();
  const rows = await thread().query(sql, params);
  if (rows.length === 0) return [];
  const transformer = new RawSqlResultsToEntityTransformer(query.expressionMap, store.dataSource.driver, []);
  return transformer.transform(rows, alias) as T[];
}
