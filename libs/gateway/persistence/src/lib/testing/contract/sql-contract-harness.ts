import type { Store } from '../../typeorm/data-source';
import {
  TypeOrmAlertRuleRepository,
  TypeOrmAlertStateRepository,
  TypeOrmNotificationChannelRepository,
  TypeOrmNotificationDeliveryRepository,
  TypeOrmRequestLogSignalRepository,
} from '../../typeorm/typeorm-alert-repositories';
import {
  TypeOrmAuditEventRepository,
  TypeOrmRoleRepository,
  TypeOrmTeamRepository,
} from '../../typeorm/typeorm-access-repositories';
import { TypeOrmRefreshTokenRepository } from '../../typeorm/typeorm-refresh-token.repository';
import {
  TypeOrmChannelRepository,
  TypeOrmGatewayKeyRepository,
  TypeOrmRequestLogRepository,
  TypeOrmRouteRepository,
  TypeOrmTargetEventRepository,
  TypeOrmTargetOverrideRepository,
  TypeOrmUserRepository,
} from '../../typeorm/typeorm-repositories';
import { TypeOrmRequestBodyRepository } from '../../typeorm/typeorm-request-body.repository';
import { TypeOrmModelPriceRepository } from '../../typeorm/typeorm-model-price.repository';
import { TypeOrmUsageRollupRepository } from '../../typeorm/typeorm-usage-rollup.repository';
import type { StoreHarness } from '../store-harnesses';
import type { ContractHarness, SqlRepositories } from './contract-harness';

function sqlRepositories(store: Store): SqlRepositories {
  const requestLogs = new TypeOrmRequestLogRepository(store);
  // As the gateway wires it: on SQLite the log's thread runs the reads of the log that follow the traffic.
  const logThreads = () => requestLogs.sqliteThreads();
  return {
    channels: new TypeOrmChannelRepository(store),
    gatewayKeys: new TypeOrmGatewayKeyRepository(store),
    routes: new TypeOrmRouteRepository(store),
    users: new TypeOrmUserRepository(store),
    refreshTokens: new TypeOrmRefreshTokenRepository(store),
    auditEvents: new TypeOrmAuditEventRepository(store),
    teams: new TypeOrmTeamRepository(store),
    roles: new TypeOrmRoleRepository(store),
    requestLogs,
    targetEvents: new TypeOrmTargetEventRepository(store),
    targetOverrides: new TypeOrmTargetOverrideRepository(store),
    requestBodies: new TypeOrmRequestBodyRepository(store),
    modelPrices: new TypeOrmModelPriceRepository(store),
    usageRollups: new TypeOrmUsageRollupRepository(store, logThreads),
    alertRules: new TypeOrmAlertRuleRepository(store),
    notificationChannels: new TypeOrmNotificationChannelRepository(store),
    alertStates: new TypeOrmAlertStateRepository(store),
    notificationDeliveries: new TypeOrmNotificationDeliveryRepository(store),
    requestLogSignals: new TypeOrmRequestLogSignalRepository(store, logThreads),
  };
}

/** The TypeORM repositories on one SQL store, emptied table by table between contract cases. */
export function sqlContractHarness(makeStore: () => StoreHarness): ContractHarness<SqlRepositories> {
  const stores = makeStore();
  let store: Store | undefined;
  let repos: SqlRepositories | undefined;
  let second: { store: Store; repos: SqlRepositories } | undefined;
  return {
    async open() {
      store = await stores.open();
      repos = sqlRepositories(store);
    },
    async empty() {
      if (!store || !repos) throw new Error('the store is not open');
      const { dataSource, entities } = store;
      await dataSource.transaction(async (manager) => {
        for (const entity of Object.values(entities))
          await manager.createQueryBuilder().delete().from(entity.options.name).execute();
      });
      return repos;
    },
    async replica() {
      if (!second) {
        const replicaStore = await stores.open();
        second = { store: replicaStore, repos: sqlRepositories(replicaStore) };
      }
      return second.repos;
    },
    get concurrentReplicas() {
      return store?.dialect === 'postgres';
    },
    async close() {
      for (const open of [second, store && repos && { store, repos }]) {
        if (!open) continue;
        await open.repos.requestLogs.close();
        await open.repos.requestBodies.close();
        await open.store.dataSource.destroy();
      }
      await stores.cleanup();
    },
  };
}
