import { join } from 'node:path';
import { DataSource, type EntityManager } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { createPrivateFile, securePrivateDir } from '../private-data-dir';
import type { SqlDialect } from './column-types';
import { createEntities } from './entities';
import { nulSafeClient } from './nul-safe-pg-client';
import { underPostgresLock } from './replica-lock';

export interface StoreOptions {
  /** `postgres://…` selects PostgreSQL; without it the embedded SQLite file is used. */
  databaseUrl?: string;
  /** Folder of the SQLite file (`synapse.db`). */
  dataDir: string;
  /** PostgreSQL schema; tests use a fresh one per run. */
  schema?: string;
  /** Where a data folder that cannot be made private is reported; the console by default. */
  warn?: (message: string) => void;
  /** Where the store's passing notes go (a wait for another replica's start); the console by default. */
  log?: (message: string) => void;
}

export interface Store {
  dataSource: DataSource;
  dialect: SqlDialect;
  entities: ReturnType<typeof createEntities>;
  /**
   * Runs `work` in one transaction. Use it rather than `dataSource.transaction`: on SQLite every
   * query shares one connection, and TypeORM turns a second concurrent transaction into a nested
   * savepoint (or a failed second BEGIN), so they are queued here one after the other. SQLite
   * transactions take the write lock at BEGIN (see beginImmediate).
   */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  /**
   * Runs `work` while no other replica of this store runs work of the same name (the start's
   * migrations and config file): an advisory lock on PostgreSQL; SQLite has one process.
   */
  exclusively<T>(name: string, work: () => Promise<T>): Promise<T>;
}

/** Opens the configured store and applies pending migrations. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const dialect: SqlDialect = options.databaseUrl ? 'postgres' : 'sqlite';
  const entities = createEntities(dialect);
  const common = {
    entities: Object.values(entities),
    migrations: MIGRATIONS,
    // PostgreSQL's run below, under the replicas' lock.
    migrationsRun: !options.databaseUrl,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  let dataSource: DataSource;
  if (options.databaseUrl) {
    dataSource = new DataSource({
      ...common,
      type: 'postgres',
      url: options.databaseUrl,
      schema: options.schema,
      // The schema also goes on the search path, so raw SQL sees the same tables as the ORM.
      extra: {
        max: 10,
        Client: nulSafeClient(),
        ...(options.schema && { options: `-c search_path=${options.schema}` }),
      },
    });
  } else {
    const dir = securePrivateDir(options.dataDir, options.warn ?? ((message) => process.stderr.write(`${message}\n`)));
    const database = join(dir, 'synapse.db');
    // Created 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database file's mode.
    createPrivateFile(database);
    dataSource = new DataSource({
      ...common,
      type: 'better-sqlite3',
      database,
      enableWAL: true,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('busy_timeout = 5000');
        db.pragma('synchronous = NORMAL');
      },
    });
  }
  await dataSource.initialize();
  const log = options.log ?? ((message: string) => process.stdout.write(`${message}\n`));
  const exclusively =
    dialect === 'postgres'
      ? <T>(name: string, work: () => Promise<T>) =>
          underPostgresLock(dataSource, name, work, (what) =>
            log(`another replica is running its ${what}: waiting for it to finish`),
          )
      : <T>(_name: string, work: () => Promise<T>) => work();
  if (dialect === 'postgres') {
    await exclusively('migrations', () => dataSource.runMigrations({ transaction: 'each' }));
  }
  if (dialect === 'sqlite') beginImmediate(dataSource);
  const transaction =
    dialect === 'sqlite'
      ? oneAtATime(<T>(work: (manager: EntityManager) => Promise<T>) => dataSource.transaction(work))
      : <T>(work: (manager: EntityManager) => Promise<T>) => dataSource.transaction(work);
  return { dataSource, dialect, entities, transaction, exclusively };
}

/**
 * TypeORM begins SQLite transactions DEFERRED: the first read pins a snapshot, and once another
 * connection (the request-log thread) has committed, the transaction's first write is refused at
 * once with SQLITE_BUSY_SNAPSHOT ("database is locked"), whatever busy_timeout says: an admin
 * change made under traffic failed with a 500. IMMEDIATE takes the write lock at BEGIN, waiting
 * for it up to busy_timeout: every transaction here writes, and they are short. TypeORM offers no
 * option for it, hence its BEGIN rewritten; sqlite-concurrency.spec.ts fails if that BEGIN changes.
 */
function beginImmediate(dataSource: DataSource): void {
  // On SQLite TypeORM serves every query, transactions included, through this one runner.
  const runner = dataSource.driver.createQueryRunner('master');
  const query = runner.query.bind(runner) as (sql: string, ...rest: unknown[]) => Promise<unknown>;
  runner.query = ((sql: string, ...rest: unknown[]) =>
    query(sql === 'BEGIN TRANSACTION' ? 'BEGIN IMMEDIATE TRANSACTION' : sql, ...rest)) as typeof runner.query;
}

/** Wraps a transaction runner so that each call starts when the previous one has ended. */
function oneAtATime(
  run: <T>(work: (manager: EntityManager) => Promise<T>) => Promise<T>,
): <T>(work: (manager: EntityManager) => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: (manager: EntityManager) => Promise<T>) => {
    const result = tail.then(() => run(work));
    tail = result.catch(() => undefined);
    return result;
  };
}
