import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AlertsModule } from '@synapse/gateway/alerts';
import { REDIS } from '@synapse/gateway/cluster';
import { EgressPolicy } from '@synapse/gateway/config';
import {
  AlertRuleRepository,
  AlertStateRepository,
  NotificationChannelRepository,
  NotificationDeliveryRepository,
  openStore,
  RequestLogSignalRepository,
  TypeOrmAlertRuleRepository,
  TypeOrmAlertStateRepository,
  TypeOrmNotificationChannelRepository,
  TypeOrmNotificationDeliveryRepository,
  TypeOrmRequestLogSignalRepository,
  type Store,
} from '@synapse/gateway/persistence';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Alerting's repositories on a real SQLite file, and AlertsModule (no evaluation timer) for the admin API test app. */
export interface AlertsTestStore {
  rules: TypeOrmAlertRuleRepository;
  notificationChannels: TypeOrmNotificationChannelRepository;
  states: TypeOrmAlertStateRepository;
  deliveries: TypeOrmNotificationDeliveryRepository;
  store: Store;
  module(routing: DynamicModule): DynamicModule;
  close(): Promise<void>;
}

export async function openAlertsTestStore(): Promise<AlertsTestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'synapse-alerts-api-'));
  const store = await openStore({ dataDir: dir });
  const repos = {
    rules: new TypeOrmAlertRuleRepository(store),
    notificationChannels: new TypeOrmNotificationChannelRepository(store),
    states: new TypeOrmAlertStateRepository(store),
    deliveries: new TypeOrmNotificationDeliveryRepository(store),
  };
  return {
    ...repos,
    store,
    module(routing) {
      @Global()
      @Module({})
      class AlertsTestStoreModule {}
      return {
        module: AlertsTestStoreModule,
        imports: [
          ScheduleModule.forRoot(),
          AlertsModule.forRoot({
            routing,
            egress: new EgressPolicy(),
            evaluationIntervalMs: 0,
            retry: { attempts: 2, baseDelayMs: 5 },
          }),
        ],
        providers: [
          { provide: AlertRuleRepository, useValue: repos.rules },
          { provide: NotificationChannelRepository, useValue: repos.notificationChannels },
          { provide: AlertStateRepository, useValue: repos.states },
          { provide: NotificationDeliveryRepository, useValue: repos.deliveries },
          { provide: RequestLogSignalRepository, useValue: new TypeOrmRequestLogSignalRepository(store) },
          { provide: REDIS, useValue: null },
        ],
        exports: [
          AlertRuleRepository,
          NotificationChannelRepository,
          AlertStateRepository,
          NotificationDeliveryRepository,
          RequestLogSignalRepository,
          REDIS,
          AlertsModule,
        ],
      };
    },
    async close() {
      await store.dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
