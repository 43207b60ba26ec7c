import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { AuthModule } from '@synapse/gateway/auth';
import { AlertRulesResolver } from './alerts/alert-rules.resolver';
import { AlertRulesService } from './alerts/alert-rules.service';
import { NotificationChannelsResolver } from './alerts/notification-channels.resolver';
import { NotificationChannelsService } from './alerts/notification-channels.service';
import { AuditMutationsInterceptor } from './audit/audit-mutations.interceptor';
import { AuditResolver } from './audit/audit.resolver';
import { ChannelsResolver } from './channels/channels.resolver';
import { ChannelTestService } from './channels/channel-test.service';
import { ChannelsService } from './channels/channels.service';
import { GraphqlGate } from './graphql/gate/graphql-gate';
import { GRAPHQL_GATE_SETTINGS } from './graphql/gate/graphql-gate.tokens';
import { DEFAULT_GRAPHQL_GATE_SETTINGS, type GraphqlGateSettings } from './graphql/gate/graphql-gate-settings';
import { ADMIN_GRAPHQL_PATH, adminGraphqlOptions } from './graphql/graphql-options';
import { GraphqlWsServer } from './graphql/subscriptions/graphql-ws-server';
import {
  DEFAULT_GRAPHQL_WS_SETTINGS,
  GRAPHQL_WS_SETTINGS,
  type GraphqlWsSettings,
} from './graphql/subscriptions/graphql-ws-settings';
import { GatewayKeysResolver } from './keys/gateway-keys.resolver';
import { LiveMonitoringResolver } from './monitoring/live-monitoring.resolver';
import { LiveMonitoringService } from './monitoring/live-monitoring.service';
import { GatewayKeysService } from './keys/gateway-keys.service';
import { RequestLogsResolver } from './request-logs/request-logs.resolver';
import { RequestLogsService } from './request-logs/request-logs.service';
import { RoutingResolver } from './routing/routing.resolver';
import { RoutingTargetsService } from './routing/routing-targets.service';
import { RoutesResolver } from './routes/routes.resolver';
import { RoutesService } from './routes/routes.service';
import { RolesResolver } from './roles/roles.resolver';
import { RolesService } from './roles/roles.service';
import { SpendService } from './spend/spend.service';
import { TeamsResolver } from './teams/teams.resolver';
import { TeamsService } from './teams/teams.service';
import { UsersResolver } from './users/users.resolver';
import { UsersService } from './users/users.service';
import { ModelPricesResolver } from './model-prices/model-prices.resolver';
import { ModelPricesService } from './model-prices/model-prices.service';
import { UsageExportController } from './usage/usage-export.controller';
import { UsageExportService } from './usage/usage-export.service';
import { UsageReportsService } from './usage/usage-reports.service';
import { UsageResolver } from './usage/usage.resolver';

/** Every resolver of the admin API (also what `schema.spec.ts` builds the schema from). */
export const ADMIN_API_RESOLVERS = [
  UsersResolver,
  RolesResolver,
  TeamsResolver,
  AuditResolver,
  RoutingResolver,
  RoutesResolver,
  ChannelsResolver,
  GatewayKeysResolver,
  RequestLogsResolver,
  UsageResolver,
  ModelPricesResolver,
  AlertRulesResolver,
  NotificationChannelsResolver,
  LiveMonitoringResolver,
];

export interface AdminApiModuleOptions {
  /**
   * The module that exports RoutingAdmin, ChannelTester, UsageLimiter (for spend), EgressPolicy (for channels) and
   * PriceCatalog (for model prices): ProxyModule in the gateway.
   */
  routing: DynamicModule | Type<unknown>;
  /** The module that exports LiveMetricsService, RequestLogTail and MONITORING_OPTIONS: MonitoringModule. */
  monitoring: DynamicModule | Type<unknown>;
  /** GraphQL subscriptions over WebSocket (docs/monitoring.md#subscriptions); the defaults for what is left out. */
  subscriptions?: Partial<GraphqlWsSettings>;
  /** Limits of `/graphql` (docs/admin-api.md#limits); the defaults for what is left out. */
  graphql?: Partial<AdminGraphqlSettings>;
}

export interface AdminGraphqlSettings extends GraphqlGateSettings {
  /** No "Did you mean …?" in errors (production). Default true. */
  hideSuggestions: boolean;
}

/**
 * The operators' GraphQL API at `/graphql`. Every operation needs an access token and declares
 * its roles (AuthModule's guards); every mutation is recorded in the audit trail. See
 * docs/admin-api.md. Needs the repositories (global persistence module), SecretBox (global
 * provisioning module), InvalidationBus (global cluster module), AuditTrail (global audit module)
 * a ThrottlerStorage (global ThrottlerModule), UsageQueryService (global UsageModule) and
 * NotificationDispatcher (global alerts module), and `GraphqlGate.install` before the app starts.
 */
@Module({})
export class AdminApiModule {
  static forRoot(options: AdminApiModuleOptions): DynamicModule {
    const { hideSuggestions, ...gate }: AdminGraphqlSettings = {
      ...DEFAULT_GRAPHQL_GATE_SETTINGS,
      hideSuggestions: true,
      ...options.graphql,
    };
    return {
      module: AdminApiModule,
      imports: [
        AuthModule,
        options.routing,
        options.monitoring,
        GraphQLModule.forRoot(adminGraphqlOptions({ hideSuggestions, maxTokens: gate.limits.maxTokens })),
      ],
      providers: [
        { provide: GRAPHQL_GATE_SETTINGS, useValue: { ...gate, path: ADMIN_GRAPHQL_PATH } },
        GraphqlGate,
        { provide: GRAPHQL_WS_SETTINGS, useValue: { ...DEFAULT_GRAPHQL_WS_SETTINGS, ...options.subscriptions } },
        GraphqlWsServer,
        ...ADMIN_API_RESOLVERS,
        LiveMonitoringService,
        RoutingTargetsService,
        RoutesService,
        ChannelsService,
        ChannelTestService,
        GatewayKeysService,
        RequestLogsService,
        UsersService,
        RolesService,
        TeamsService,
        SpendService,
        UsageReportsService,
        UsageExportService,
        ModelPricesService,
        AlertRulesService,
        NotificationChannelsService,
        { provide: APP_INTERCEPTOR, useClass: AuditMutationsInterceptor },
      ],
      controllers: [UsageExportController],
      // The gateway's bootstrap installs it on Fastify before the application starts.
      exports: [GraphqlGate],
    };
  }
}
