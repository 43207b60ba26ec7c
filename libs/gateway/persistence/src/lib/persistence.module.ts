import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import {
  AuditEventRepository,
  ChannelRepository,
  RoleRepository,
  TeamRepository,
  GatewayKeyRepository,
  RefreshTokenRepository,
  RequestLogRepository,
  RouteRepository,
  TargetEventRepository,
  TargetOverrideRepository,
  UserRepository,
} from './repositories';
import { RequestBodyRepository, RETENTION_TARGETS, type RetentionTarget } from './log-repositories';
import { TypeOrmRequestBodyRepository } from './typeorm/typeorm-request-body.repository';
import {
  AlertRuleRepository,
  AlertStateRepository,
  NotificationChannelRepository,
  NotificationDeliveryRepository,
  RequestLogSignalRepository,
} from './alert-repositories';
import {
  TypeOrmAlertRuleRepository,
  TypeOrmAlertStateRepository,
  TypeOrmNotificationChannelRepository,
  TypeOrmNotificationDeliveryRepository,
  TypeOrmRequestLogSignalRepository,
} from './typeorm/typeorm-alert-repositories';
import { openStore, type Store, type StoreOptions } from './typeorm/data-source';
import type { SqliteThreads } from './typeorm/off-loop-read';
import {
  TypeOrmAuditEventRepository,
  TypeOrmRoleRepository,
  TypeOrmTeamRepository,
} from './typeorm/typeorm-access-repositories';
import { TypeOrmRefreshTokenRepository } from './typeorm/typeorm-refresh-token.repository';
import {
  TypeOrmChannelRepository,
  TypeOrmGatewayKeyRepository,
  TypeOrmRequestLogRepository,
  TypeOrmRouteRepository,
  TypeOrmTargetEventRepository,
  TypeOrmTargetOverrideRepository,
  TypeOrmUserRepository,
} from './typeorm/typeorm-repositories';
import { TypeOrmModelPriceRepository } from './typeorm/typeorm-model-price.repository';
import { TypeOrmUsageRollupRepository } from './typeorm/typeorm-usage-rollup.repository';
import { ModelPriceRepository, UsageRollupRepository } from './usage-repositories';
import { STORE_FOR_AVAILABILITY, StoreAvailability } from './store-availability';
import { ReplicaLock } from './replica-lock';
import { DifyConversationRepository } from './dify-repositories';
import { TypeOrmDifyConversationRepository } from './typeorm/typeorm-dify-conversation.repository';

export const STORE = Symbol('STORE');

/** Alerting's repositories, each with its TypeORM implementation. */
const ALERT_REPOSITORIES = [
  [AlertRuleRepository, TypeOrmAlertRuleRepository],
  [NotificationChannelRepository, TypeOrmNotificationChannelRepository],
  [AlertStateRepository, TypeOrmAlertStateRepository],
  [NotificationDeliveryRepository, TypeOrmNotificationDeliveryRepository],
  [DifyConversationRepository, TypeOrmDifyConversationRepository],
] as const;

/** The request log's threads (SQLite): its writer, and a reader for the reads of the log that follow the traffic. */
function logThreads(logs: RequestLogRepository): SqliteThreads | undefined {
  return logs instanceof TypeOrmRequestLogRepository ? () => logs.sqliteThreads() : undefined;
}

@Injectable()
class StoreCloser implements OnApplicationShutdown {
  constructor(
    @Inject(STORE) private readonly store: Store,
    private readonly requestLogs: RequestLogRepository,
    private readonly requestBodies: RequestBodyRepository,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await this.requestLogs.close();
    await this.requestBodies.close();
    if (this.store.dataSource.isInitialized) await this.store.dataSource.destroy();
  }
}

/** Opens the SQL store (SQLite by default, PostgreSQL with a URL) and provides the repositories. */
@Module({})
export class PersistenceModule {
  static forRoot(options: StoreOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      providers: [
        {
          provide: STORE,
          useFactory: () => {
            const logger = new Logger('Store');
            return openStore({
              warn: (message) => logger.warn(message),
              log: (message) => logger.log(message),
              ...options,
            });
          },
        },
        StoreCloser,
        {
          provide: ReplicaLock,
          inject: [STORE],
          useFactory: (s: Store): ReplicaLock => ({ exclusively: (name, work) => s.exclusively(name, work) }),
        },
        { provide: STORE_FOR_AVAILABILITY, useExisting: STORE },
        StoreAvailability,
        { provide: ChannelRepository, inject: [STORE], useFactory: (s: Store) => new TypeOrmChannelRepository(s) },
        {
          provide: GatewayKeyRepository,
          inject: [STORE],
          useFactory: (s: Store) => new TypeOrmGatewayKeyRepository(s),
        },
        { provide: UserRepository, inject: [STORE], useFactory: (s: Store) => new TypeOrmUserRepository(s) },
        {
          provide: RefreshTokenRepository,
          inject: [STORE],
          useFactory: (s: Store) => new TypeOrmRefreshTokenRepository(s),
        },
        { provide: RouteRepository, inject: [STORE], useFactory: (s: Store) => new TypeOrmRouteRepository(s) },
        {
          provide: TargetEventRepository,
          inject: [STORE],
          useFactory: (s: Store) => new TypeOrmTargetEventRepository(s),
        },
        {
          provide: TargetOverrideRepository,
          inject: [STORE],
          useFactory: (s: Store) => new TypeOrmTargetOverrideRepository(s),
        },
        {
          provide: RequestLogRepository,
          inject: [STORE],
          useFactory: (s: Store) => new TypeOrmRequestLogRepository(s),
        },
        {
          provide: RequestBodyRepository,
          inject: [STORE],
          useFactory: (s: Store) => new TypeOrmRequestBodyRepository(s),
        },
        {
          // What retention purges; a store of another kind (rollups) adds its target here.
          provide: RETENTION_TARGETS,
          inject: [RequestLogRepository, RequestBodyRepository, AuditEventRepository, UsageRollupRepository],
          useFactory: (
            logs: RequestLogRepository,
            bodies: RequestBodyRepository,
            audit: AuditEventRepository,
            rollups: UsageRollupRepository,
          ) =>
            [
              { kind: 'request-log', purgeOlderThan: (before, limit) => logs.purgeOlderThan(before, limit) },
              { kind: 'bodies', purgeOlderThan: (before, limit) => bodies.purgeOlderThan(before, limit) },
              { kind: 'audit', purgeOlderThan: (before, limit) => audit.purgeOlderThan(before, limit) },
              ...(['minute', 'hour', 'day'] as const).map((granularity) => ({
                kind: `rollup-${granularity}`,
                purgeOlderThan: (before: Date, limit: number) => rollups.deleteOlderThan(granularity, before, limit),
              })),
            ] satisfies RetentionTarget[],
        },
        { provide: TeamRepository, inject: [STORE], useFactory: (s: Store) => new TypeOrmTeamRepository(s) },
        { provide: RoleRepository, inject: [STORE], useFactory: (s: Store) => new TypeOrmRoleRepository(s) },
        {
          provide: AuditEventRepository,
          inject: [STORE],
          useFactory: (s: Store) => new TypeOrmAuditEventRepository(s),
        },
        {
          provide: UsageRollupRepository,
          inject: [STORE, RequestLogRepository],
          // On SQLite the rollup job reads the request log on the log's own thread.
          useFactory: (s: Store, logs: RequestLogRepository) => new TypeOrmUsageRollupRepository(s, logThreads(logs)),
        },
        {
          provide: ModelPriceRepository,
          inject: [STORE],
          useFactory: (s: Store) => new TypeOrmModelPriceRepository(s),
        },
        ...ALERT_REPOSITORIES.map(([contract, implementation]) => ({
          provide: contract,
          inject: [STORE],
          useFactory: (s: Store) => new implementation(s),
        })),
        {
          provide: RequestLogSignalRepository,
          inject: [STORE, RequestLogRepository],
          // On SQLite the alert evaluator reads the request log on the log's own thread.
          useFactory: (s: Store, logs: RequestLogRepository) =>
            new TypeOrmRequestLogSignalRepository(s, logThreads(logs)),
        },
      ],
      exports: [
        ...ALERT_REPOSITORIES.map(([contract]) => contract),
        RequestLogSignalRepository,
        ReplicaLock,
        STORE,
        StoreAvailability,
        TeamRepository,
        RoleRepository,
        AuditEventRepository,
        ChannelRepository,
        GatewayKeyRepository,
        UserRepository,
        RefreshTokenRepository,
        RequestLogRepository,
        RequestBodyRepository,
        RETENTION_TARGETS,
        RouteRepository,
        TargetEventRepository,
        TargetOverrideRepository,
        UsageRollupRepository,
        ModelPriceRepository,
      ],
    };
  }
}
