import type { Repository } from 'typeorm';
import { RequestBodyRepository } from '../log-repositories';
import type { RequestBody } from '../models/request-body';
import { SqliteLogThreads } from '../sqlite/sqlite-log-threads';
import type { Store } from './data-source';
import { purgeOlderThan } from './purge-older-than';
import { refusedRows } from './refused-rows';
import { sqliteDatetime } from './sqlite-datetime';

const COLUMNS = ['request_id', 'created_at', 'request', 'response', 'request_truncated', 'response_truncated'];

const SKIP_WRITTEN = 'ON CONFLICT (request_id) DO NOTHING';

/** Bodies per PostgreSQL INSERT: they can be large, so fewer than the request log's rows. */
const INSERT_CHUNK = 50;

/**
 * Captured bodies, written like the request log: on SQLite from a worker thread of their own (the
 * bodies can be large and better-sqlite3 blocks its thread), on PostgreSQL in multi-row INSERTs.
 */
export class TypeOrmRequestBodyRepository extends RequestBodyRepository {
  private readonly repo: Repository<RequestBody>;
  private sqliteLogThreads: SqliteLogThreads | undefined;

  constructor(private readonly store: Store) {
    super();
    this.repo = store.dataSource.getRepository(store.entities.requestBody);
  }

  async insertMany(bodies: readonly RequestBody[]): Promise<void> {
    if (bodies.length === 0) return;
    try {
      await this.write(bodies);
    } catch (error) {
      throw refusedRows(error) ?? error;
    }
  }

  private async write(bodies: readonly RequestBody[]): Promise<void> {
    if (this.store.dialect === 'sqlite') {
      const rows = bodies.map((b) => [
        b.requestId,
        sqliteDatetime(b.createdAt),
        b.request,
        b.response,
        b.requestTruncated ? 1 : 0,
        b.responseTruncated ? 1 : 0,
      ]);
      await this.writer().insert(JSON.stringify(rows));
      return;
    }
    await this.store.transaction(async (manager) => {
      for (let i = 0; i < bodies.length; i += INSERT_CHUNK) {
        const params: unknown[] = [];
        const tuples = bodies.slice(i, i + INSERT_CHUNK).map((b) => {
          const row = [b.requestId, b.createdAt, b.request, b.response, b.requestTruncated, b.responseTruncated];
          const placeholders = row.map((_, c) => `$${params.length + c + 1}`);
          params.push(...row);
          return `(${placeholders.join(', ')})`;
        });
        // A batch whose commit reached the server but whose answer was lost is sent again: skip its bodies.
        await manager.query(
          `INSERT INTO request_bodies (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} ${SKIP_WRITTEN}`,
          params,
        );
      }
    });
  }

  findById(requestId: string): Promise<RequestBody | null> {
    return this.repo.findOneBy({ requestId });
  }

  purgeOlderThan(before: Date, limit: number): Promise<number> {
    const table = { table: 'request_bodies', id: 'request_id', time: 'created_at' };
    return purgeOlderThan(this.store, table, before, limit, () => this.writer());
  }

  private writer(): SqliteLogThreads {
    this.sqliteLogThreads ??= new SqliteLogThreads(
      this.store.dataSource.options.database as string,
      `INSERT INTO request_bodies (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')}) ${SKIP_WRITTEN}`,
    );
    return this.sqliteLogThreads;
  }

  override async close(): Promise<void> {
    await this.sqliteLogThreads?.close();
    this.sqliteLogThreads = undefined;
  }
}
