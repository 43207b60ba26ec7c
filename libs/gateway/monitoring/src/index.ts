export * from './lib/live/live-metrics.service';
export * from './lib/monitoring-options';
export * from './lib/monitoring.module';
export * from './lib/prometheus/metrics-access';
export * from './lib/tail/push-iterator';
export * from './lib/tail/request-log-tail';
