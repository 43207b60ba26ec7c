import type { RequestLogSearch } from '../log-repositories';
import { logEntry } from '../testing/contract/contract-fixtures';
import { sqliteHarness, type StoreHarness } from '../testing/store-harnesses';
import type { Store } from '../typeorm/data-source';
import { requestLogSearchQuery } from '../typeorm/request-log-search.query';
import { TypeOrmRequestLogRepository } from '../typeorm/typeorm-repositories';

/** A read that holds its thread for a while: SQLite counts to `n` (~0.1 µs a step). */
const slowCount = (n: number) => ({
  sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT COUNT(*) AS n FROM c',
  params: [n],
});

/**
 * The request log's SQLite threads: batches are written on one, long reads run on another, so a
 * search that walks the log (200-500 ms for a million rows when little matches) neither holds the
 * event loop nor waits for the batches nor holds them up, and its rows become the same entities
 * the event loop's connection would have given.
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
    const thread = logs.sqliteThreads();
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
    await expect(logs.sqliteThreads().query('DELETE FROM request_logs RETURNING id', [])).rejects.toThrow(
      /readonly|read-only|query_only|attempt to write/i,
    );
    expect(await logs.count()).toBe(1);
  });

  it('runs no statement on the event loop and answers the entities the connection gives', async () => {
    // Every column kind: JSON headers, booleans, null cost, ttft, team, error details.
    await logs.insertMany([
      ...Array.from({ length: 30 }, (_, i) => logEntry(i)),
      logEntry(40, { status: 502, errorClass: 'upstream_5xx', errorMessage: 'bad gateway', costUsd: null }),
    ]);
    const searches: RequestLogSearch[] = [
      { filter: {}, first: 10 },
      { filter: { teamId: 'team-1', model: 'gpt-4o-mini' }, first: 50 },
      { filter: { statusClass: 5 }, first: 5 },
      { filter: { model: 'never-called' }, first: 50 },
    ];
    const onLoop = jest.spyOn(store.dataSource.logger, 'logQuery');
    const pages = [];
    try {
      for (const search of searches) pages.push(await logs.search(search));
      expect(onLoop.mock.calls.map(([sql]) => sql).filter((sql) => /request_logs/i.test(sql))).toEqual([]);
    } finally {
      onLoop.mockRestore();
    }
    for (const [i, search] of searches.entries()) {
      const direct = await requestLogSearchQuery(
        store.dataSource.getRepository(store.entities.requestLog),
        'sqlite',
        search,
      ).getMany();
      expect(pages[i].entries).toEqual(direct.slice(0, search.first));
      expect(pages[i].hasNextPage).toBe(direct.length > search.first);
    }
    expect(pages.map((page) => page.entries.length)).toEqual([10, 16, 1, 0]);
    const failed = pages[2].entries[0];
    expect(failed.createdAt).toBeInstanceOf(Date);
    expect(failed).toMatchObject({ status: 502, errorClass: 'upstream_5xx', costUsd: null });
    expect(pages[0].entries.find((entry) => entry.requestHeaders)?.requestHeaders).toMatchObject({
      'x-stainless-lang': 'python',
    });
  });
});
