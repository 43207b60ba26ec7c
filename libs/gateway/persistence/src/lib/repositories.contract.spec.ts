import { MIGRATIONS } from './migrations';
import type { ContractHarness, SharedRepositories } from './testing/contract/contract-harness';
import { memoryContractHarness } from './testing/contract/memory-contract-harness';
import { repositoryContract, sqlRepositoryContract } from './testing/contract/repository-contract';
import { sqlContractHarness } from './testing/contract/sql-contract-harness';
import { SQL_STORES, type StoreHarness } from './testing/store-harnesses';
import type { Store } from './typeorm/data-source';

// One contract, every store: SQLite, PostgreSQL (when reachable) and the in-memory test doubles
// that the specs of other libraries use. Each case starts from an empty store.
const EVERY_STORE: [string, () => ContractHarness<SharedRepositories>][] = [
  ...SQL_STORES.map(([name, makeStore]): [string, () => ContractHarness<SharedRepositories>] => [
    name,
    () => sqlContractHarness(makeStore),
  ]),
  ['memory', memoryContractHarness],
];

describe.each(EVERY_STORE)('repository contract on %s', (_name, makeHarness) => {
  repositoryContract(makeHarness);
});

describe.each(SQL_STORES)('SQL-only repository contract on %s', (_name, makeStore) => {
  sqlRepositoryContract(() => sqlContractHarness(makeStore));
});

describe.each(SQL_STORES)('migrations on %s', (_name, makeHarness) => {
  let harness: StoreHarness;
  let store: Store;

  beforeAll(async () => {
    harness = makeHarness();
    store = await harness.open();
  });

  afterAll(async () => {
    await store?.dataSource.destroy();
    await harness?.cleanup();
  });

  it('applies migrations once and again idempotently on reopen', async () => {
    const migrations = await store.dataSource.query('SELECT name FROM migrations');
    expect(migrations.map((m: { name: string }) => m.name)).toEqual([
      'InitialSchema1798000000001',
      'RoutesAndTargetEvents1798000000002',
      'RefreshTokens1798000000003',
      'GatewayKeyLifecycle1798000000004',
      'GatewayKeyLimits1798000000005',
      'TeamsRolesAudit1798000000006',
      'SpendAndUserLimits1798000000007',
      'ChannelSecretHint1798000000008',
      'UserSsoIdentity1798000000009',
      'RefreshTokenSessionStart1798000000010',
      'RequestLogTeamAndCache1798000000011',
      'UsageRollupsAndModelPrices1798000000012',
      'LogSearchAndBodies1798000000013',
      'Alerts1798000000014',
      'RequestLogIngressFormat1798000000015',
      'DifyConversations1798000000016',
      'RequestLogHeaders1798000000017',
      'RequestLogPartialOwnerIndexes1798000000018',
      'RequestLogLongCalls1798000000019',
      'ModelPriceUnits1798000000020',
      'RequestLogAudioSeconds1798000000021',
    ]);
    await store.dataSource.destroy();
    store = await harness.open();
    expect(await store.dataSource.query('SELECT name FROM migrations')).toHaveLength(MIGRATIONS.length);
  });
});
