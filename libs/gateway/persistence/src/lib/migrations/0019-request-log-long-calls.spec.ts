import { queryPlan as plan } from '../testing/query-plan';
import { SQL_STORES } from '../testing/store-harnesses';
import type { Store } from '../typeorm/data-source';
import { loggedPerMinuteQuery } from '../typeorm/usage-source-query';

describe.each(SQL_STORES)('RequestLogLongCalls1798000000019 on %s', (_name, makeHarness) => {
  const harness = makeHarness();
  let store: Store;
  beforeAll(async () => {
    store = await harness.open();
  });
  afterAll(async () => {
    await store?.dataSource.destroy();
    await harness.cleanup();
  });

  const longCalls = () => loggedPerMinuteQuery(store.dialect, new Date(0), new Date(), true);

  it("serves the usage rollup's count of long calls per minute", async () => {
    const { sql, params } = longCalls();
    expect(await plan(store, sql, params)).toContain('idx_request_logs_long_calls');
  });

  it('is dropped when reverted', async () => {
    // It and the migrations after it are undone, newest first.
    const position = store.dataSource.migrations.findIndex(
      (migration) => migration.name === 'RequestLogLongCalls1798000000019',
    );
    expect(position).toBeGreaterThan(0);
    for (let i = position; i < store.dataSource.migrations.length; i++) {
      await store.dataSource.undoLastMigration({ transaction: 'each' });
    }
    try {
      const { sql, params } = longCalls();
      expect(await plan(store, sql, params)).not.toContain('idx_request_logs_long_calls');
    } finally {
      await store.dataSource.runMigrations({ transaction: 'each' });
    }
    const { sql, params } = longCalls();
    expect(await plan(store, sql, params)).toContain('idx_request_logs_long_calls');
  });
});
