import { whileReverted } from '../testing/migration-revert';
import { queryPlan as plan } from '../testing/query-plan';
import { SQL_STORES, storeForSuite } from '../testing/store-harnesses';
import { loggedPerMinuteQuery } from '../typeorm/usage-source-query';

describe.each(SQL_STORES)('RequestLogLongCalls1798000000019 on %s', (_name, makeHarness) => {
  const opened = storeForSuite(makeHarness);

  const longCalls = () => loggedPerMinuteQuery(opened().dialect, new Date(0), new Date(), true);

  it("serves the usage rollup's count of long calls per minute", async () => {
    const { sql, params } = longCalls();
    expect(await plan(opened(), sql, params)).toContain('idx_request_logs_long_calls');
  });

  it('is dropped when reverted', async () => {
    await whileReverted(opened(), 'RequestLogLongCalls1798000000019', async () => {
      const { sql, params } = longCalls();
      expect(await plan(opened(), sql, params)).not.toContain('idx_request_logs_long_calls');
    });
    const { sql, params } = longCalls();
    expect(await plan(opened(), sql, params)).toContain('idx_request_logs_long_calls');
  });
});
