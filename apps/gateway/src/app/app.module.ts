import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AdminApiModule, DEFAULT_DOCUMENT_LIMITS } from '@synapse/gateway/admin-api';
import { AlertsModule } from '@synapse/gateway/alerts';
import { AuditModule } from '@synapse/gateway/audit';
import { AdminThrottlerGuard, AuthModule, OidcModule, SessionPolicyModule } from '@synapse/gateway/auth';
import { ClusterModule, REDIS, RedisReachability, throttlerStorageFor } from '@synapse/gateway/cluster';
import {
  EgressPolicy,
  loadConfigFile,
  oidcSettings,
  retentionDays,
  type AddressMatcher,
  type GatewayEnv,
  type UpstreamProxies,
} from '@synapse/gateway/config';
import { MonitoringModule } from '@synapse/gateway/monitoring';
import { PersistenceModule } from '@synapse/gateway/persistence';
import { ProvisioningModule } from '@synapse/gateway/provisioning';
import { ProxyModule } from '@synapse/gateway/proxy';
import { RetentionModule } from '@synapse/gateway/retention';
import { UsageModule } from '@synapse/gateway/usage';
import type Redis from 'ioredis';
import { HealthController } from './health.controller';
import { Lifecycle } from './lifecycle';

@Module({})
export class AppModule {
  static forRoot(env: GatewayEnv, trustedProxies: AddressMatcher, proxies: UpstreamProxies): DynamicModule {
    // Prices are read from the config file at start, like everything else in it; provisioning applies the rest.
    const config = env.SYNAPSE_CONFIG ? loadConfigFile(env.SYNAPSE_CONFIG) : undefined;
    // One policy for every upstream address: checked at save, at start (config file) and at connect.
    const egress = new EgressPolicy(env.UPSTREAM_ALLOWED_PRIVATE_CIDRS);
    const proxy = ProxyModule.forRoot({
      prices: config?.prices,
      unpricedModels: config?.unpricedModels,
      limitsWhenRedisDown: env.LIMITS_WHEN_REDIS_DOWN,
      maxInFlightCalls: env.MAX_IN_FLIGHT_CALLS,
      difyPingIntervalMs: env.DIFY_PING_INTERVAL_MS,
      bodyLimit: env.MAX_BODY_BYTES,
      trustedProxies,
      unauthenticatedPerMinute: env.UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE,
      callCaps: { maxChoices: env.MAX_CHOICES_PER_CALL, maxTokens: env.MAX_TOKENS_PER_CALL || undefined },
      timeouts: {
        connectMs: env.UPSTREAM_CONNECT_TIMEOUT_MS,
        firstByteMs: env.UPSTREAM_FIRST_BYTE_TIMEOUT_MS,
        totalMs: env.UPSTREAM_TOTAL_TIMEOUT_MS,
      },
      upstreamConnections: env.UPSTREAM_CONNECTIONS,
      maxAnswerBytes: env.MAX_ANSWER_BYTES,
      egress,
      upstreamProxies: proxies,
      requestLog: {
        batchSize: env.LOG_BATCH_SIZE,
        flushIntervalMs: env.LOG_FLUSH_INTERVAL_MS,
        maxQueued: env.REQUEST_LOG_MAX_QUEUED,
        spillDir: join(env.DATA_DIR, 'request-log-spill'),
      },
      bodyCapture: { maxBytes: env.BODY_CAPTURE_MAX_BYTES, redact: env.BODY_CAPTURE_REDACT },
      routing: {
        failureThreshold: env.ROUTING_FAILURE_THRESHOLD,
        failureWindowMs: env.ROUTING_FAILURE_WINDOW_MS,
        cooldownMs: env.ROUTING_COOLDOWN_MS,
        syncIntervalMs: env.ROUTING_SYNC_INTERVAL_MS,
        maxInFlightPerChannel: env.UPSTREAM_MAX_IN_FLIGHT_PER_CHANNEL,
      },
      healthChecks: { intervalMs: env.HEALTH_CHECK_INTERVAL_MS, timeoutMs: env.HEALTH_CHECK_TIMEOUT_MS },
    });
    const monitoring = MonitoringModule.forRoot({
      proxy,
      enabled: env.METRICS_ENABLED,
      metricsToken: env.METRICS_TOKEN,
      metricsAllow: env.METRICS_ALLOW,
      keyLabels: env.METRICS_KEY_LABELS,
      shareIntervalMs: env.LIVE_METRICS_SHARE_INTERVAL_MS,
      pushIntervalMs: env.LIVE_METRICS_PUSH_INTERVAL_MS,
    });
    return {
      module: AppModule,
      imports: [
        PersistenceModule.forRoot({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR }),
        ClusterModule.forRoot({ redisUrl: env.REDIS_URL }),
        AuditModule,
        ProvisioningModule.forRoot({
          secret: env.SYNAPSE_SECRET,
          previousSecrets: env.SYNAPSE_SECRET_PREVIOUS,
          dataDir: env.DATA_DIR,
          configFile: env.SYNAPSE_CONFIG,
          adminEmail: env.ADMIN_EMAIL,
          adminPassword: env.ADMIN_PASSWORD,
          egress,
        }),
        // One request-limit store: ThrottlerGuard on the admin routes and the /v1 rpm limits count in it.
        ThrottlerModule.forRootAsync({
          inject: [REDIS, RedisReachability],
          useFactory: (redis: Redis | null, reachability: RedisReachability | null) => ({
            throttlers: [{ ttl: 60_000, limit: env.ADMIN_RATE_LIMIT_PER_MINUTE }],
            skipIf: () => env.ADMIN_RATE_LIMIT_PER_MINUTE === 0,
            storage: throttlerStorageFor(redis, reachability),
          }),
        }),
        proxy,
        RetentionModule.forRoot({
          days: retentionDays(env),
          intervalMs: env.RETENTION_INTERVAL_MINUTES * 60_000,
          batchSize: env.RETENTION_BATCH_SIZE,
          pauseMs: env.RETENTION_PAUSE_MS,
        }),
        UsageModule.forRoot({
          intervalMs: env.USAGE_ROLLUP_INTERVAL_MS,
          lagMs: env.USAGE_ROLLUP_LAG_MS,
          recheckMs: env.USAGE_ROLLUP_RECHECK_HOURS * 3_600_000,
          longestCallMs: env.UPSTREAM_TOTAL_TIMEOUT_MS,
        }),
        AuthModule,
        SessionPolicyModule.forRoot({ maxAgeHours: env.SESSION_MAX_AGE_HOURS }),
        OidcModule.forRoot(oidcSettings(env)),
        // Reads routing and spend through what ProxyModule exports; notifies through the same egress policy.
        AlertsModule.forRoot({
          routing: proxy,
          egress,
          proxies,
          evaluationIntervalMs: env.ALERT_EVALUATION_INTERVAL_MS,
          keptMinutesMaxBytes: env.ALERT_KEPT_MINUTES_MB * 1024 * 1024,
        }),
        // Reads and changes routing through the RoutingAdmin that ProxyModule exports.
        monitoring,
        AdminApiModule.forRoot({
          routing: proxy,
          monitoring,
          subscriptions: {
            maxConnections: env.GRAPHQL_WS_MAX_CONNECTIONS,
            authTimeoutMs: env.GRAPHQL_WS_AUTH_TIMEOUT_MS,
            trustedProxies,
          },
          graphql: {
            maxBodyBytes: env.GRAPHQL_MAX_BODY_BYTES,
            maxUnauthenticatedBytes: env.GRAPHQL_MAX_UNAUTHENTICATED_BYTES,
            limits: {
              ...DEFAULT_DOCUMENT_LIMITS,
              maxTokens: env.GRAPHQL_MAX_TOKENS,
              maxAliases: env.GRAPHQL_MAX_ALIASES,
              maxDepth: env.GRAPHQL_MAX_DEPTH,
              maxCost: env.GRAPHQL_MAX_COST,
            },
            // Counted per HTTP request on /graphql, in the same store and window as the REST routes.
            requestsPerMinute: env.ADMIN_RATE_LIMIT_PER_MINUTE,
            hideSuggestions: env.NODE_ENV === 'production',
          },
        }),
      ],
      controllers: [HealthController],
      providers: [Lifecycle, { provide: APP_GUARD, useClass: AdminThrottlerGuard }],
    };
  }
}
