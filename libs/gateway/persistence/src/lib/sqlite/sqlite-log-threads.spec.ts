import { Logger } from '@nestjs/common';
import type { RequestLogSearch } from '../log-repositories';
import { logEntry } from '../testing/contract/contract-fixtures';
import { sqliteHarness, type StoreHarness } from '../testing/store-harnesses';
import type { Store } from '../typeorm/data-source';
import { requestLogSearchQuery } from '../typeorm/request-log-search.query';
import { TypeOrmRequestLogRepository } from '../typeorm/typeorm-repositories';
import { MAX_READER_THREADS, THREAD_RESTART_DELAY_MS, type SqliteLogThreads } from './sqlite-log-threads';

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

  it('answers a short read on a second reader while a long one runs, and no more readers than that', async () => {
    const thread = logs.sqliteThreads();
    await logs.insertMany([logEntry(0)]);
    const finished: string[] = [];
    const read = (name: string, query: { sql: string; params: unknown[] }) =>
      thread.query(query.sql, query.params).then((rows) => {
        finished.push(name);
        return rows;
      });
    // One after the other, reads share one reader: the second costs memory only when needed.
    for (const n of [1, 2, 3]) await read(`one by one ${n}`, slowCount(10));
    expect(thread['readers']).toHaveLength(1);
    finished.length = 0;
    const long = read('long', slowCount(5_000_000));
    const short = read('short', { sql: 'SELECT COUNT(*) AS n FROM request_logs', params: [] });
    expect(await short).toEqual([{ n: 1 }]);
    expect(finished).toEqual(['short']);
    expect(await long).toEqual([{ n: 5_000_000 }]);
    // Reads beyond the readers queue on the least busy one.
    await Promise.all([1, 2, 3, 4].map((n) => read(`more ${n}`, slowCount(10))));
    expect(thread['readers']).toHaveLength(MAX_READER_THREADS);
  });

  it('refuses writes on the reader', async () => {
    await logs.insertMany([logEntry(0)]);
    await expect(logs.sqliteThreads().query('DELETE FROM request_logs RETURNING id', [])).rejects.toThrow(
      /readonly|read-only|query_only|attempt to write/i,
    );
    expect(await logs.count()).toBe(1);
  });

  describe('a thread that dies', () => {
    /** Stops a thread as a crash would, and waits until it is gone. */
    const kill = async (thread: SqliteLogThreads['writer']) => {
      const worker = thread['worker'];
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      await worker.terminate();
      await exited;
    };
    const later = (ms: number) => {
      const now = Date.now();
      return jest.spyOn(Date, 'now').mockReturnValue(now + ms);
    };
    let warnings: jest.SpyInstance;
    beforeEach(() => {
      warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    });
    afterEach(() => jest.restoreAllMocks());

    it('is started again a second after it died, and the writes go on', async () => {
      const threads = logs.sqliteThreads();
      await logs.insertMany([logEntry(0)]);
      await kill(threads['writer']);

      // Within the back-off the writes fail (the log's batcher spills them) ...
      await expect(logs.insertMany([logEntry(1)])).rejects.toThrow(/SQLite thread exited/);
      expect(warnings).not.toHaveBeenCalled();
      // ... and after it a new thread takes them, on the same file.
      later(THREAD_RESTART_DELAY_MS);
      const [second, third] = [logEntry(1), logEntry(2)];
      await logs.insertMany([second, third]);
      expect(warnings).toHaveBeenCalledWith('The SQLite log writer thread died; starting it again');
      expect(await logs.count()).toBe(3);
      // A batch sent again after its answer was lost: the rows there already are skipped.
      await logs.insertMany([third, logEntry(3)]);
      expect(await logs.count()).toBe(4);
    });

    it('reads on another reader while one is dead, and restarts the dead the same way', async () => {
      const threads = logs.sqliteThreads();
      const count = () => threads.query('SELECT COUNT(*) AS n FROM request_logs', []);
      await logs.insertMany([logEntry(0)]);
      await count();
      await kill(threads['readers'][0]);
      // The second reader answers ...
      expect(await count()).toEqual([{ n: 1 }]);
      await kill(threads['readers'][1]);
      // ... and with both dead, reads fail until the back-off is over.
      await expect(count()).rejects.toThrow(/exited/);
      later(THREAD_RESTART_DELAY_MS);
      expect(await count()).toEqual([{ n: 1 }]);
      expect(warnings).toHaveBeenCalledWith('The SQLite log reader thread died; starting it again');
      expect(threads['readers']).toHaveLength(MAX_READER_THREADS);
    });

    it('is not started again once closed', async () => {
      const threads = logs.sqliteThreads();
      await logs.insertMany([logEntry(0)]);
      await threads.close();
      later(THREAD_RESTART_DELAY_MS * 10);
      await expect(threads.insert('[]')).rejects.toThrow(/exited/);
      expect(warnings).not.toHaveBeenCalled();
    });
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
