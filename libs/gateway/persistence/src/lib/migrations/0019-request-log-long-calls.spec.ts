import { whileReverted } from '../testing/migration-revert';
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
    await whileReverted(store, 'RequestLogLongCalls1798000000019', async () => {
      const { sql, params } = longCalls();
      expect(await plan(store, sql, params)).not.toContain('idx_request_logs_long_calls');
    });
    const { sql, params } = longCalls();
    expect(await plan(store, sql, params)).toContain('idx_request_logs_long_calls');
  });
});
