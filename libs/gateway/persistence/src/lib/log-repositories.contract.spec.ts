import { useEmptyStore, type ContractHarness, type LogRepositories } from './testing/contract/contract-harness';
import { memoryLogContractHarness } from './testing/contract/memory-log-contract-harness';
import { requestBodyContract } from './testing/contract/request-body.contract';
import { requestLogSearchContract } from './testing/contract/request-log-search.contract';
import { retentionContract } from './testing/contract/retention.contract';
import { sqlContractHarness } from './testing/contract/sql-contract-harness';
import { SQL_STORES } from './testing/store-harnesses';

// Log search, captured bodies and retention: SQLite, PostgreSQL (when reachable) and the in-memory doubles.
const EVERY_STORE: [string, () => ContractHarness<LogRepositories>][] = [
  ...SQL_STORES.map(([name, makeStore]): [string, () => ContractHarness<LogRepositories>] => [
    name,
    () => sqlContractHarness(makeStore),
  ]),
  ['memory', memoryLogContractHarness],
];

describe.each(EVERY_STORE)('log repositories contract on %s', (_name, makeHarness) => {
  const store = useEmptyStore(makeHarness);
  describe('request log search', () => requestLogSearchContract(store));
  describe('request bodies', () => requestBodyContract(store));
  describe('retention', () => retentionContract(store));
});
