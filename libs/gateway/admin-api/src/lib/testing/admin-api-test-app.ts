import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { deriveMasterKey, SecretBox } from '@synapse/crypto';
import { openAccessTestStore, type AccessTestStore } from '@synapse/gateway/auth/testing';
import { EgressPolicy } from '@synapse/gateway/config';
import { HOST_RESOLVER, type ResolveAll } from '@synapse/gateway/providers';
import {
  ChannelRepository,
  GatewayKeyRepository,
  ModelPriceRepository,
  RefreshTokenRepository,
  RequestBodyRepository,
  RequestLogRepository,
  RouteRepository,
  TypeOrmModelPriceRepository,
  TypeOrmUsageRollupRepository,
  UserRepository,
} from '@synapse/gateway/persistence';
import { UsageQueryService } from '@synapse/gateway/usage';
import {
  InMemoryChannelRepository,
  InMemoryGatewayKeyRepository,
  InMemoryRefreshTokenRepository,
  InMemoryRequestBodyRepository,
  InMemoryRequestLogRepository,
  InMemoryRouteRepository,
  InMemoryUserRepository,
} from '@synapse/gateway/persistence/testing';
import { hashPassword } from '@synapse/gateway/auth';
import {
  InFlightCalls,
  InMemoryUsageLimiter,
  NO_PRICING,
  PriceCatalog,
  REQUEST_LOG_OPTIONS,
  RequestLogWriter,
  ChannelTester,
  RoutingAdmin,
  UsageLimiter,
} from '@synapse/gateway/proxy';
import { MonitoringModule, type MonitoringOptions } from '@synapse/gateway/monitoring';
import { TypeOrmRequestLogRepository } from '@synapse/gateway/persistence';
import { GatewayExceptionFilter } from '@synapse/gateway/errors';
import { ThrottlerModule } from '@nestjs/throttler';
import { createClient } from 'graphql-ws';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { AdminApiModule, type AdminGraphqlSettings } from '../admin-api.module';
import { GraphqlGate } from '../graphql/gate/graphql-gate';
import { openAlertsTestStore, type AlertsTestStore } from './alerts-test-store';
import type { GraphqlWsSettings } from '../graphql/subscriptions/graphql-ws-settings';
import { FakeRoutingAdmin } from './fake-routing-admin';

export const TEST_SECRET = 'admin-api-test-secret-0123456789abcdef';
export const TEST_PASSWORD = 'correct horse battery staple';

export interface AdminApiTestApp {
  app: NestFastifyApplication;
  routing: FakeRoutingAdmin;
  /** The request log writer live metrics and the tail observe: record entries into it. */
  writer: RequestLogWriter;
  /** The limiter whose counters the `spend` fields read. */
  limiter: InMemoryUsageLimiter;
  users: InMemoryUserRepository;
  routes: InMemoryRouteRepository;
  channels: InMemoryChannelRepository;
  keys: InMemoryGatewayKeyRepository;
  requestLogs: InMemoryRequestLogRepository;
  requestBodies: InMemoryRequestBodyRepository;
  /** Teams, custom roles and the audit trail, on SQLite. */
  access: AccessTestStore;
  /** Alert rules, notification channels, states and deliveries, on SQLite. */
  alerts: AlertsTestStore;
  /** The fake RoutingAdmin again, named for what route changes publish through it. */
  bus: FakeRoutingAdmin;
  /** Stops the app and removes its SQLite file. */
  close(): Promise<void>;
  /** Signs in through POST /api/auth/login as the user of that role. */
  tokenFor(role: string): Promise<string>;
  /**
   * Runs a subscription over WebSocket (graphql-ws, the app listening on a local port from the first
   * call) and returns its first result; `trigger` runs once the subscription is set up.
   */
  subscribeFirst(
    query: string,
    options: { token?: string; variables?: Record<string, unknown>; trigger?: () => void },
  ): Promise<GqlResponse>;
  /** ws:// URL of /graphql (the app listens from the first call). */
  wsUrl(): Promise<string>;
  /** POSTs a GraphQL operation; returns the parsed body and the status. */
  graphql(query: string, options?: { token?: string; variables?: Record<string, unknown> }): Promise<GqlResponse>;
}

export interface GqlResponse {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

interface TestStore {
  users: InMemoryUserRepository;
  routes: InMemoryRouteRepository;
  channels: InMemoryChannelRepository;
  keys: InMemoryGatewayKeyRepository;
  requestLogs: InMemoryRequestLogRepository;
  requestBodies: InMemoryRequestBodyRepository;
}

/** What the gateway's global persistence, provisioning and cluster modules provide, in memory. */
function storeModule({ users, routes, channels, keys, requestLogs, requestBodies }: TestStore): DynamicModule {
  @Global()
  @Module({})
  class TestStoreModule {}
  return {
    module: TestStoreModule,
    providers: [
      { provide: UserRepository, useValue: users },
      { provide: RefreshTokenRepository, useValue: new InMemoryRefreshTokenRepository() },
      { provide: RouteRepository, useValue: routes },
      { provide: ChannelRepository, useValue: channels },
      { provide: GatewayKeyRepository, useValue: keys },
      { provide: RequestLogRepository, useValue: requestLogs },
      { provide: RequestBodyRepository, useValue: requestBodies },
      { provide: SecretBox, useValue: new SecretBox(deriveMasterKey(TEST_SECRET)) },
    ],
    exports: [
      UserRepository,
      RefreshTokenRepository,
      RouteRepository,
      ChannelRepository,
      GatewayKeyRepository,
      RequestLogRepository,
      RequestBodyRepository,
      SecretBox,
    ],
  };
}

/** What the gateway's global UsageModule (and the model price repository) provide. */
function usageModule(prices: ModelPriceRepository, usage: UsageQueryService): DynamicModule {
  @Global()
  @Module({})
  class TestUsageModule {}
  return {
    module: TestUsageModule,
    providers: [
      { provide: UsageQueryService, useValue: usage },
      { provide: ModelPriceRepository, useValue: prices },
    ],
    exports: [UsageQueryService, ModelPriceRepository],
  };
}

/** A resolver for tests, which DNS is outside of: every name has this one address. */
export function resolveEveryNameTo(address: string): ResolveAll {
  return (_hostname, _options, callback) => callback(null, [{ address, family: 4 }]);
}

function routingModule(routing: FakeRoutingAdmin, limiter: UsageLimiter, prices: PriceCatalog): DynamicModule {
  @Module({})
  class FakeRoutingModule {}
  return {
    module: FakeRoutingModule,
    providers: [
      { provide: PriceCatalog, useValue: prices },
      { provide: RoutingAdmin, useValue: routing },
      { provide: ChannelTester, useValue: routing.tester },
      { provide: UsageLimiter, useValue: limiter },
      { provide: EgressPolicy, useValue: new EgressPolicy() },
      // DNS is outside the test: every name resolves to a public documentation address.
      { provide: HOST_RESOLVER, useValue: resolveEveryNameTo('203.0.113.10') },
    ],
    exports: [RoutingAdmin, ChannelTester, UsageLimiter, EgressPolicy, HOST_RESOLVER, PriceCatalog],
  };
}

/** What MonitoringModule takes from ProxyModule: the request log writer (on SQLite), in-flight counts, routing. */
function proxyPartsModule(routing: FakeRoutingAdmin, requestLogs: RequestLogRepository): DynamicModule {
  @Module({})
  class FakeProxyModule {}
  return {
    module: FakeProxyModule,
    providers: [
      { provide: RequestLogRepository, useValue: requestLogs },
      { provide: REQUEST_LOG_OPTIONS, useValue: { batchSize: 100, flushIntervalMs: 100 } },
      RequestLogWriter,
      InFlightCalls,
      { provide: RoutingAdmin, useValue: routing },
      { provide: ChannelTester, useValue: routing.tester },
    ],
    exports: [RequestLogWriter, InFlightCalls, RoutingAdmin],
  };
}

/**
 * The admin API on Fastify as the gateway runs it, with a fake RoutingAdmin and an in-memory store;
 * `/graphql` has its default limits but no rate limit unless `graphql` says otherwise.
 */
export async function startAdminApiTestApp(
  options: {
    graphql?: Partial<AdminGraphqlSettings>;
    monitoring?: Partial<MonitoringOptions>;
    subscriptions?: Partial<GraphqlWsSettings>;
  } = {},
): Promise<AdminApiTestApp> {
  const users = new InMemoryUserRepository();
  const store: TestStore = {
    users,
    routes: new InMemoryRouteRepository(),
    channels: new InMemoryChannelRepository(),
    keys: new InMemoryGatewayKeyRepository(),
    requestLogs: new InMemoryRequestLogRepository(),
    requestBodies: new InMemoryRequestBodyRepository(),
  };
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const now = new Date();
  for (const role of ['owner', 'admin', 'operator', 'auditor', 'member'] as const) {
    await users.save({
      id: `id-${role}`,
      email: `${role}@example.com`,
      name: role === 'owner' ? 'Olivia Owner' : null,
      role,
      passwordHash,
      createdAt: now,
      updatedAt: now,
    });
  }
  const routing = new FakeRoutingAdmin();
  const limiter = new InMemoryUsageLimiter();
  const access = await openAccessTestStore();
  // Model prices and usage rollups on the access store's SQLite file.
  const modelPrices = new TypeOrmModelPriceRepository(access.store);
  const prices = new PriceCatalog({ ...NO_PRICING }, {}, modelPrices, access.bus);
  await prices.onApplicationBootstrap();
  const usage = usageModule(modelPrices, new UsageQueryService(new TypeOrmUsageRollupRepository(access.store)));
  const alerts = await openAlertsTestStore();
  const routingFakes = routingModule(routing, limiter, prices);
  const moduleRef = await Test.createTestingModule({
    imports: [
      storeModule(store),
      access.module(),
      usage,
      alerts.module(routingFakes),
      ThrottlerModule.forRoot([]),
      AdminApiModule.forRoot({
        routing: routingFakes,
        monitoring: MonitoringModule.forRoot({
          proxy: proxyPartsModule(routing, new TypeOrmRequestLogRepository(access.store)),
          enabled: true,
          metricsAllow: [],
          keyLabels: false,
          shareIntervalMs: 1_000,
          pushIntervalMs: 1_000,
          ...options.monitoring,
        }),
        graphql: { requestsPerMinute: 0, ...options.graphql },
        subscriptions: options.subscriptions,
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: false,
    bodyParser: false,
  });
  app.useGlobalFilters(new GatewayExceptionFilter(1_000_000));
  app.get(GraphqlGate).install();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  const tokens = new Map<string, string>();
  let listening: Promise<string> | undefined;
  const wsUrl = () =>
    (listening ??= app.listen(0, '127.0.0.1').then(() => {
      const { port } = app.getHttpServer().address() as AddressInfo;
      return `ws://127.0.0.1:${port}/graphql`;
    }));
  return {
    app,
    writer: app.get(RequestLogWriter),
    routing,
    limiter,
    bus: routing,
    access,
    alerts,
    ...store,
    async close() {
      await app.close();
      await access.close();
      await alerts.close();
    },
    async tokenFor(role) {
      if (!tokens.has(role)) {
        const response = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: `${role}@example.com`, password: TEST_PASSWORD },
        });
        if (response.statusCode !== 200) throw new Error(`login as ${role}: ${response.statusCode} ${response.body}`);
        tokens.set(role, response.json<{ accessToken: string }>().accessToken);
      }
      return tokens.get(role) as string;
    },
    wsUrl,
    async subscribeFirst(query, { token, variables, trigger }) {
      const client = createClient({
        url: await wsUrl(),
        webSocketImpl: WebSocket,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        retryAttempts: 0,
        lazy: true,
      });
      try {
        let timer: NodeJS.Timeout | undefined;
        const first = new Promise<GqlResponse>((resolve, reject) => {
          const unsubscribe = client.subscribe(
            { query, variables },
            {
              next: (result) => {
                unsubscribe();
                resolve({
                  status: 101,
                  data: (result.data as Record<string, unknown>) ?? null,
                  errors: result.errors as GqlResponse['errors'],
                });
              },
              error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
              complete: () => undefined,
            },
          );
        });
        // The subscription reaches the server some time after subscribe(): trigger until something comes.
        if (trigger) timer = setInterval(trigger, 50);
        return await first.finally(() => clearInterval(timer));
      } finally {
        await client.dispose();
      }
    },
    async graphql(query, options = {}) {
      const response = await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
        payload: { query, variables: options.variables },
      });
      return { status: response.statusCode, ...response.json() };
    },
  };
}
