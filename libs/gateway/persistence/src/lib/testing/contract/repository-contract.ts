import { alertContract, requestLogSignalContract } from './alert.contract';
import { auditEventContract } from './audit-event.contract';
import { channelContract } from './channel.contract';
import { useEmptyStore, type ContractHarness, type SharedRepositories, type SqlRepositories } from './contract-harness';
import { gatewayKeyContract } from './gateway-key.contract';
import { modelPriceContract } from './model-price.contract';
import { usageRollupContract, usageSourceContract } from './usage-rollup.contract';
import { refreshTokenContract } from './refresh-token.contract';
import { requestLogContract } from './request-log.contract';
import { roleContract } from './role.contract';
import { routeContract } from './route.contract';
import { targetStateContract } from './target-state.contract';
import { teamContract } from './team.contract';
import { userContract } from './user.contract';

/**
 * The contract of the repositories every store implements, declared inside a `describe` for one
 * store: the SQL stores and the in-memory test doubles run the same cases.
 */
export function repositoryContract(makeHarness: () => ContractHarness<SharedRepositories>): void {
  const store = useEmptyStore(makeHarness);
  describe('channels', () => channelContract(store));
  describe('gateway keys', () => gatewayKeyContract(store));
  describe('routes', () => routeContract(store));
  describe('users', () => userContract(store));
  describe('refresh tokens', () => refreshTokenContract(store));
  describe('audit events', () => auditEventContract(store));
  describe('model prices', () => modelPriceContract(store));
  describe('usage rollups', () => usageRollupContract(store));
  describe('alerts', () => alertContract(store));
}

/** The contract of the repositories only the SQL stores implement. */
export function sqlRepositoryContract(makeHarness: () => ContractHarness<SqlRepositories>): void {
  const store = useEmptyStore(makeHarness);
  describe('teams', () => teamContract(store));
  describe('roles', () => roleContract(store));
  describe('request logs', () => requestLogContract(store));
  describe('target events and overrides', () => targetStateContract(store));
  describe('usage rollup sources', () => usageSourceContract(store));
  describe('request-log signals', () => requestLogSignalContract(store));
}
