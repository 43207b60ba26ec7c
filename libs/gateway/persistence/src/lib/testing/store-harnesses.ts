import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresSchema, postgresAvailable, POSTGRES_URL } from '@synapse/testing';
import { openStore, type Store } from '../typeorm/data-source';
import {
  TypeOrmAuditEventRepository,
  TypeOrmRoleRepository,
  TypeOrmTeamRepository,
} from '../typeorm/typeorm-access-repositories';
import { TypeOrmRefreshTokenRepository } from '../typeorm/typeorm-refresh-token.repository';
import {
  TypeOrmChannelRepository,
  TypeOrmGatewayKeyRepository,
  TypeOrmRequestLogRepository,
  TypeOrmRouteRepository,
  TypeOrmTargetEventRepository,
  TypeOrmTargetOverrideRepository,
  TypeOrmUserRepository,
} from '../typeorm/typeorm-repositories';
import type { ContractHarness, SharedRepositories, SqlRepositories } from './contract/contract-harness';
import { InMemoryAuditEventRepository } from './memory/in-memory-audit-event.repository';
import { InMemoryChannelRepository } from './memory/in-memory-channel.repository';
import { InMemoryGatewayKeyRepository } from './memory/in-memory-gateway-key.repository';
import { InMemoryRefreshTokenRepository } from './memory/in-memory-refresh-token.repository';
import { InMemoryRouteRepository } from './memory/in-memory-route.repository';
import { InMemoryUserRepository } from './memory/in-memory-user.repository';

/** Opens one SQL store for a contract suite (again after a close, on the same data) and removes it. */
export interface StoreHarness {
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

export function sqliteHarness(): StoreHarness {
  const dir = mkdtempSync(join(tmpdir(), 'synapse-contract-'));
  return {
    open: () => openStore({ dataDir: dir }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function postgresHarness(): StoreHarness {
  let drop: (() => Promise<void>) | undefined;
  let schema: string | undefined;
  return {
    open: async () => {
      if (!schema) ({ schema, drop } = await createPostgresSchema('contract'));
      return openStore({ dataDir: '', databaseUrl: POSTGRES_URL, schema });
    },
    cleanup: async () => drop?.(),
  };
}

/** SQLite always; PostgreSQL when it is reachable (or required: see tools/jest/probe-services.cjs). */
export const SQL_STORES: [string, () => StoreHarness][] = [
  ['SQLite', sqliteHarness],
  ...(postgresAvailable ? [['PostgreSQL', postgresHarness] as [string, () => StoreHarness]] : []),
];

function sqlRepositories(store: Store): SqlRepositories {
  return {
    channels: new TypeOrmChannelRepository(store),
    gatewayKeys: new TypeOrmGatewayKeyRepository(store),
    routes: new TypeOrmRouteRepository(store),
    users: new TypeOrmUserRepository(store),
    refreshTokens: new TypeOrmRefreshTokenRepository(store),
    auditEvents: new TypeOrmAuditEventRepository(store),
    teams: new TypeOrmTeamRepository(store),
    roles: new TypeOrmRoleRepository(store),
    requestLogs: new TypeOrmRequestLogRepository(store),
    targetEvents: new TypeOrmTargetEventRepository(store),
    targetOverrides: new TypeOrmTargetOverrideRepository(store),
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
          await manager.createQueryBuilder().delete().from(entity).execute();
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
        await open.store.dataSource.destroy();
      }
      await stores.cleanup();
    },
  };
}

/** The in-memory test doubles, new ones for each contract case. */
export function memoryContractHarness(): ContractHarness<SharedRepositories> {
  let repos: SharedRepositories | undefined;
  return {
    open: async () => undefined,
    async empty() {
      repos = {
        channels: new InMemoryChannelRepository(),
        gatewayKeys: new InMemoryGatewayKeyRepository(),
        routes: new InMemoryRouteRepository(),
        users: new InMemoryUserRepository(),
        refreshTokens: new InMemoryRefreshTokenRepository(),
        auditEvents: new InMemoryAuditEventRepository(),
      };
      return repos;
    },
    async replica() {
      if (!repos) throw new Error('the store is not open');
      return repos;
    },
    concurrentReplicas: true,
    close: async () => undefined,
  };
}

/** Every store the shared contract runs on: the SQL stores and the in-memory doubles. */
export const CONTRACT_STORES: [string, () => ContractHarness<SharedRepositories>][] = [
  ...SQL_STORES.map(
    ([name, makeStore]) =>
      [name, () => sqlContractHarness(makeStore)] as [string, () => ContractHarness<SqlRepositories>],
  ),
  ['memory', memoryContractHarness],
];

/** The SQL stores, for the repositories only they implement. */
export const SQL_CONTRACT_STORES: [string, () => ContractHarness<SqlRepositories>][] = SQL_STORES.map(
  ([name, makeStore]) => [name, () => sqlContractHarness(makeStore)],
);
