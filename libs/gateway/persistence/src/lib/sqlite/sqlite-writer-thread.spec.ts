import { logEntry } from '../testing/contract/contract-fixtures';
import { sqliteHarness, type StoreHarness } from '../testing/store-harnesses';
import type { Store } from '../typeorm/data-source';
import { TypeOrmRequestLogRepository } from '../typeorm/typeorm-repositories';

/** A read that holds its thread for a while: SQLite counts to `n` (~0.1 µs a step). */
const slowCount = (n: number) => ({
  sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT COUNT(*) AS n FROM c',
  params: [n],
});

/**
 * The request log's SQLite threads: batches are written on one, long reads run on another, so a
 * search that walks the log neither waits for the batches nor holds them up.
 */
describe('SQLite request-log threads', () => {
  let harness: StoreHarness;
  let store: Store;
  let logs: TypeOrmRequestLogRepository;

  beforeEach(async () => {
    harness = sqliteHarness();
    store = await harness.open();
    logs = new TypeOrmRequestLogRepository(store);
  });
  afterEach(async () => {
    await logs.close();
    await store.dataSource.destroy();
    await harness.cleanup();
  });

  it('writes a batch while a long read runs, and the read answers whole', async () => {
    const thread = logs.writerThread();
    // Started once, so that neither thread's start-up is timed below.
    await logs.insertMany([logEntry(0)]);
    await thread.query(slowCount(10).sql, slowCount(10).params);

    const finished: string[] = [];
    const read = thread.query(slowCount(5_000_000).sql, slowCount(5_000_000).params).then((rows) => {
      finished.push('read');
      return rows;
    });
    const write = logs.insertMany([logEntry(1), logEntry(2)]).then(() => finished.push('write'));
    await Promise.all([read, write]);

    expect(finished).toEqual(['write', 'read']);
    expect(await read).toEqual([{ n: 5_000_000 }]);
    // The reader sees what was written before it was asked.
    const [{ n }] = await thread.query('SELECT COUNT(*) AS n FROM request_logs', []);
    expect(n).toBe(3);
  });

  it('refuses writes on the reader', async () => {
    await logs.insertMany([logEntry(0)]);
    await expect(logs.writerThread().query('DELETE FROM request_logs RETURNING id', [])).rejects.toThrow(
      /readonly|read-only|query_only|attempt to write/i,
    );
    expect(await logs.count()).toBe(1);
  });
});
