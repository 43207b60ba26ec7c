import type { RequestLogSearch } from '../log-repositories';
import { logEntry } from '../testing/contract/contract-fixtures';
import { sqliteHarness, type StoreHarness } from '../testing/store-harnesses';
import type { Store } from './data-source';
import { requestLogSearchQuery } from './request-log-search.query';
import { TypeOrmRequestLogRepository } from './typeorm-repositories';

/**
 * A search that matches little walks the whole log (200-500 ms for a million rows): on SQLite it
 * runs on the log's reader thread, and its rows become the same entities the event loop's
 * connection would have given.
 */
describe('request-log search on SQLite, off the event loop', () => {
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
