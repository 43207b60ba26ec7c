import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { REDIS } from '@synapse/gateway/cluster';
import type Redis from 'ioredis';
import { LiveMetricsService } from './live/live-metrics.service';
import { LiveShare, LocalLiveShare } from './live/live-share';
import { RedisLiveShare } from './live/redis-live-share';
import { MONITORING_OPTIONS, type MonitoringOptions } from './monitoring-options';
import { MetricsController } from './prometheus/metrics.controller';
import { PrometheusMetrics } from './prometheus/prometheus-metrics';
import { RedisTailRelay } from './tail/redis-tail-relay';
import { RequestLogTail } from './tail/request-log-tail';

export interface MonitoringModuleOptions extends MonitoringOptions {
  /** The module that exports RequestLogWriter, InFlightCalls and RoutingAdmin: ProxyModule in the gateway. */
  proxy: DynamicModule | Type<unknown>;
}

/**
 * Live monitoring: windows of request figures shared by replicas (LiveMetricsService), the live
 * request log tail (RequestLogTail) and `GET /metrics` for Prometheus. Needs REDIS (global
 * ClusterModule; null runs in process). See docs/monitoring.md.
 */
@Module({})
export class MonitoringModule {
  static forRoot({ proxy, ...options }: MonitoringModuleOptions): DynamicModule {
    return {
      module: MonitoringModule,
      imports: [proxy],
      controllers: [MetricsController],
      providers: [
        { provide: MONITORING_OPTIONS, useValue: options },
        {
          provide: LiveShare,
          inject: [{ token: REDIS, optional: true }],
          useFactory: (redis: Redis | null | undefined) =>
            redis ? new RedisLiveShare(redis, options.shareIntervalMs) : new LocalLiveShare(),
        },
        LiveMetricsService,
        RequestLogTail,
        {
          // Only with Redis: the tail then also carries the other replicas' calls.
          provide: RedisTailRelay,
          inject: [{ token: REDIS, optional: true }, RequestLogTail],
          useFactory: (redis: Redis | null | undefined, tail: RequestLogTail) =>
            redis ? new RedisTailRelay(redis, tail) : null,
        },
        PrometheusMetrics,
      ],
      exports: [LiveMetricsService, RequestLogTail, MONITORING_OPTIONS],
    };
  }
}
