import { PassportModule } from '@nestjs/passport';
import { Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { EgressPolicy, type UpstreamProxies } from '@synapse/gateway/config';
import {
  AnthropicAdapter,
  DifyAdapter,
  AzureOpenAIAdapter,
  GeminiAdapter,
  OllamaAdapter,
  OpenAICompatibleAdapter,
  ProviderRegistry,
  UpstreamClient,
  type Timeouts,
} from '@synapse/gateway/providers';
import { CatalogService, DEFAULT_TIMEOUTS } from './catalog/catalog.service';
import { InFlightCalls } from './logging/in-flight-calls';
import { REQUEST_LOG_OPTIONS, RequestLogWriter, type RequestLogWriterOptions } from './logging/request-log-writer';
import { BODY_CAPTURE_OPTIONS, type BodyCaptureOptions } from './logging/body-redactor';
import { RequestBodyWriter } from './logging/request-body-writer';
import { GatewayKeyStrategy } from './keys/gateway-key.strategy';
import { ModelsService } from './openai/models.service';
import { OpenAIController } from './openai/openai.controller';
import { PROXY_HTTP_OPTIONS, ProxyHttpHandler } from './http/proxy-http-handler';
import { TokenCountService } from './ingress/token-count.service';
import { DIFY_PROVIDERS } from './ingress/dify/dify.providers';
import { DIFY_PING_INTERVAL } from './ingress/dify/dify-generation.service';
import { ProxyService } from './pipeline/proxy.service';
import { DEFAULT_CALL_CAPS, type CallCaps } from './pipeline/call-size';
import { ChannelHealthChecker, HEALTH_CHECK_OPTIONS, type HealthCheckOptions } from './routing/channel-health-checker';
import { ChannelTester, RoutingAdmin } from './routing/routing-admin';
import { ROUTING_OPTIONS, RoutingService, type RoutingOptions } from './routing/routing.service';
import { ScheduleModule } from '@nestjs/schedule';
import { REDIS, RedisReachability } from '@synapse/gateway/cluster';
import type Redis from 'ioredis';
import { ThrottlerStorage } from '@nestjs/throttler';
import { InMemoryThrottlerStorage } from '@synapse/gateway/cluster';
import type { AddressMatcher } from '@synapse/gateway/config';
import { InMemoryUsageLimiter } from './limits/in-memory-usage-limiter';
import { UnauthenticatedThrottle } from './limits/unauthenticated-throttle';
import { LimitGate } from './limits/limit-gate';
import { RedisUsageLimiter } from './limits/redis-usage-limiter';
import { FailoverUsageLimiter } from './limits/failover-usage-limiter';
import { SpendSeeder } from './limits/spend-seeder';
import { UsageLimiter } from './limits/usage-limiter';
import { PriceBook, type ModelPrice } from './pricing/price-book';
import { PRICING } from './pricing/pricing';
import { CONFIG_PRICES, PriceCatalog } from './pricing/price-catalog';

export interface ProxyModuleOptions {
  bodyLimit: number;
  /** Reverse proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES), as Fastify is told for the other routes. */
  trustedProxies: AddressMatcher;
  /** /v1 calls without a valid key per client address per minute before 429; 0: no limit. */
  unauthenticatedPerMinute: number;
  /** The gateway's own caps on one call's output, under any key's. */
  callCaps: CallCaps;
  timeouts: Timeouts;
  upstreamConnections: number;
  /** Largest upstream answer read whole (MAX_ANSWER_BYTES). */
  maxAnswerBytes?: number;
  /** Which upstream addresses may be dialled (UPSTREAM_ALLOWED_PRIVATE_CIDRS); exported for the checks at save. */
  egress: EgressPolicy;
  /** Forward proxies for upstream calls and health checks (HTTPS_PROXY, HTTP_PROXY, NO_PROXY). */
  upstreamProxies?: UpstreamProxies;
  requestLog: RequestLogWriterOptions;
  /** Size cap and redaction of captured bodies (BODY_CAPTURE_*); 32 KiB and the built-in patterns by default. */
  bodyCapture?: BodyCaptureOptions;
  routing: RoutingOptions;
  healthChecks: HealthCheckOptions;
  /** Model prices (USD per million tokens, by name or glob) from the config file; none: no call is priced. */
  prices?: Readonly<Record<string, ModelPrice>>;
  unpricedModels?: 'allow' | 'deny';
  /** With Redis: while it is unreachable, count limits on this replica (`open`) or refuse limited calls (`closed`). */
  limitsWhenRedisDown?: 'open' | 'closed';
  /** Proxied calls in flight on this replica at most; past it, 503 overloaded. 0 or absent: no cap. */
  maxInFlightCalls?: number;
  /** Keep-alive `event: ping` on gateway-backed Dify streams every this many ms (10 s by default). */
  difyPingIntervalMs?: number;
}

@Injectable()
class UpstreamCloser implements OnApplicationShutdown {
  constructor(private readonly upstream: UpstreamClient) {}
  onApplicationShutdown(): Promise<void> {
    return this.upstream.close();
  }
}

/**
 * The OpenAI-compatible proxy: `/v1` routes, the in-memory catalog, upstream pools and the request
 * log. The proxied POST routes are served by ProxyHttpHandler, which the bootstrap puts in front of
 * Fastify (see apps/gateway/src/main.ts).
 */
@Module({})
export class ProxyModule {
  static forRoot(options: ProxyModuleOptions): DynamicModule {
    return {
      module: ProxyModule,
      imports: [ScheduleModule.forRoot(), PassportModule],
      controllers: [OpenAIController],
      providers: [
        { provide: DEFAULT_TIMEOUTS, useValue: options.timeouts },
        { provide: REQUEST_LOG_OPTIONS, useValue: options.requestLog },
        { provide: BODY_CAPTURE_OPTIONS, useValue: options.bodyCapture ?? { maxBytes: 32 * 1024, redact: [] } },
        { provide: DEFAULT_CALL_CAPS, useValue: options.callCaps },
        { provide: ROUTING_OPTIONS, useValue: options.routing },
        { provide: HEALTH_CHECK_OPTIONS, useValue: options.healthChecks },
        RoutingService,
        { provide: RoutingAdmin, useExisting: RoutingService },
        { provide: ChannelTester, useExisting: ChannelHealthChecker },
        ChannelHealthChecker,
        {
          provide: UsageLimiter,
          inject: [REDIS, { token: RedisReachability, optional: true }, { token: ThrottlerStorage, optional: true }],
          useFactory: (
            redis: Redis | null,
            reachability: RedisReachability | null | undefined,
            requests: ThrottlerStorage | undefined,
          ) => {
            if (!redis) return new InMemoryUsageLimiter();
            const shared = new RedisUsageLimiter(redis);
            if (!reachability) return shared;
            const local = new InMemoryUsageLimiter();
            return new FailoverUsageLimiter(shared, local, reachability, requests ?? new InMemoryThrottlerStorage());
          },
        },
        {
          provide: LimitGate,
          // Requests per minute share the ThrottlerStorage of ThrottlerGuard (global ThrottlerModule).
          // Without that module (tests of the proxy alone) they are counted in process.
          inject: [
            { token: ThrottlerStorage, optional: true },
            UsageLimiter,
            { token: RedisReachability, optional: true },
          ],
          useFactory: (
            storage: ThrottlerStorage | undefined,
            limiter: UsageLimiter,
            reachability: RedisReachability | null | undefined,
          ) =>
            new LimitGate(
              storage ?? new InMemoryThrottlerStorage(),
              limiter,
              options.limitsWhenRedisDown === 'closed' ? (reachability ?? undefined) : undefined,
            ),
        },
        {
          provide: UnauthenticatedThrottle,
          inject: [{ token: ThrottlerStorage, optional: true }],
          useFactory: (storage: ThrottlerStorage | undefined) =>
            new UnauthenticatedThrottle(storage ?? new InMemoryThrottlerStorage(), options.unauthenticatedPerMinute),
        },
        {
          provide: PRICING,
          // The config file's prices until PriceCatalog adds the runtime prices and the defaults at start.
          useValue: { prices: new PriceBook(options.prices), unpricedModels: options.unpricedModels ?? 'allow' },
        },
        { provide: CONFIG_PRICES, useValue: options.prices ?? {} },
        PriceCatalog,
        SpendSeeder,
        { provide: EgressPolicy, useValue: options.egress },
        {
          provide: UpstreamClient,
          useFactory: () =>
            new UpstreamClient({
              connections: options.upstreamConnections,
              egress: options.egress,
              maxAnswerBytes: options.maxAnswerBytes,
              proxies: options.upstreamProxies,
            }),
        },
        {
          provide: ProviderRegistry,
          useFactory: () =>
            new ProviderRegistry([
              new OpenAICompatibleAdapter(),
              new AnthropicAdapter(),
              new DifyAdapter(),
              new AzureOpenAIAdapter(),
              new OllamaAdapter(),
              new GeminiAdapter(),
            ]),
        },
        UpstreamCloser,
        CatalogService,
        RequestLogWriter,
        RequestBodyWriter,
        InFlightCalls,
        ProxyService,
        TokenCountService,
        ...DIFY_PROVIDERS,
        { provide: DIFY_PING_INTERVAL, useValue: options.difyPingIntervalMs ?? 10_000 },
        ProxyHttpHandler,
        {
          provide: PROXY_HTTP_OPTIONS,
          useValue: {
            bodyLimit: options.bodyLimit,
            trustedProxies: options.trustedProxies,
            maxInFlight: options.maxInFlightCalls,
          },
        },
        ModelsService,
        GatewayKeyStrategy,
      ],
      exports: [
        CatalogService,
        RequestLogWriter,
        InFlightCalls,
        ProxyHttpHandler,
        RoutingAdmin,
        ChannelTester,
        UsageLimiter,
        EgressPolicy,
        PriceCatalog,
      ],
    };
  }
}
