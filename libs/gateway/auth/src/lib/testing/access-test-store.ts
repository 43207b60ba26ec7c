import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '@synapse/gateway/audit';
import { InvalidationBus, LocalInvalidationBus } from '@synapse/gateway/cluster';
import {
  AuditEventRepository,
  openStore,
  RoleRepository,
  TeamRepository,
  TypeOrmAuditEventRepository,
  TypeOrmRoleRepository,
  TypeOrmTeamRepository,
  type Store,
} from '@synapse/gateway/persistence';

/** Teams, roles and the audit trail on a real SQLite file, for the Nest test apps of auth and the admin API. */
export interface AccessTestStore {
  teams: TypeOrmTeamRepository;
  roles: TypeOrmRoleRepository;
  auditEvents: TypeOrmAuditEventRepository;
  bus: InvalidationBus;
  /** A global module that provides them (and the audit trail) to a Nest test app. */
  /** The SQLite store they live in, for other repositories a test needs. */
  store: Store;
  module(): DynamicModule;
  close(): Promise<void>;
}

export async function openAccessTestStore(): Promise<AccessTestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'synapse-access-'));
  const store: Store = await openStore({ dataDir: dir });
  const teams = new TypeOrmTeamRepository(store);
  const roles = new TypeOrmRoleRepository(store);
  const auditEvents = new TypeOrmAuditEventRepository(store);
  const bus = new LocalInvalidationBus();
  return {
    teams,
    roles,
    auditEvents,
    bus,
    store,
    module() {
      @Global()
      @Module({})
      class AccessTestStoreModule {}
      return {
        module: AccessTestStoreModule,
        imports: [AuditModule],
        providers: [
          { provide: TeamRepository, useValue: teams },
          { provide: RoleRepository, useValue: roles },
          { provide: AuditEventRepository, useValue: auditEvents },
          { provide: InvalidationBus, useValue: bus },
        ],
        exports: [TeamRepository, RoleRepository, AuditEventRepository, InvalidationBus, AuditModule],
      };
    },
    async close() {
      await store.dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
