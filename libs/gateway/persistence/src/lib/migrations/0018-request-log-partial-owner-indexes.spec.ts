import { whileReverted } from '../testing/migration-revert';
import { queryPlan as plan } from '../testing/query-plan';
import { SQL_STORES, storeForSuite } from '../testing/store-harnesses';

describe.each(SQL_STORES)('RequestLogPartialOwnerIndexes1798000000018 on %s', (_name, makeHarness) => {
  const opened = storeForSuite(makeHarness);

  async function ownerIndexes(): Promise<string[]> {
    const rows: { sql: string }[] =
      opened().dialect === 'sqlite'
        ? await opened().dataSource.query(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name IN ('idx_request_logs_team_created', 'idx_request_logs_user_created') ORDER BY name",
          )
        : await opened().dataSource.query(
            "SELECT indexdef AS sql FROM pg_indexes WHERE indexname IN ('idx_request_logs_team_created', 'idx_request_logs_user_created') AND schemaname = current_schema() ORDER BY indexname",
          );
    return rows.map((row) => row.sql);
  }

  it('keeps only the rows with a user or a team in their indexes', async () => {
    const [team, user] = await ownerIndexes();
    expect(team).toMatch(/WHERE \(?team_id IS NOT NULL\)?/i);
    expect(user).toMatch(/WHERE \(?user_id IS NOT NULL\)?/i);
  });

  it('still serves the searches by user and by team, with = and with IN', async () => {
    const newest = 'ORDER BY created_at DESC LIMIT 50';
    expect(await plan(opened(), `SELECT id FROM request_logs WHERE user_id = 'u-1' ${newest}`)).toContain(
      'idx_request_logs_user_created',
    );
    expect(await plan(opened(), `SELECT id FROM request_logs WHERE team_id IN ('t-1', 't-2') ${newest}`)).toContain(
      'idx_request_logs_team_created',
    );
  });

  it('goes back to full indexes when reverted', async () => {
    await whileReverted(opened(), 'RequestLogPartialOwnerIndexes1798000000018', async () => {
      const indexes = await ownerIndexes();
      expect(indexes).toHaveLength(2);
      for (const sql of indexes) expect(sql).not.toMatch(/WHERE/i);
    });
    expect(await ownerIndexes()).toEqual([expect.stringMatching(/IS NOT NULL/), expect.stringMatching(/IS NOT NULL/)]);
  });
});
