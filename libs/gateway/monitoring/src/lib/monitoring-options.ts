/** Live monitoring and Prometheus settings (docs/monitoring.md). */
export interface MonitoringOptions {
  /** METRICS_ENABLED: live windows, in-flight counts and Prometheus collection; off, the hot path skips them all. */
  enabled: boolean;
  /** METRICS_TOKEN: the Bearer token `/metrics` asks for, when set. */
  metricsToken?: string;
  /** METRICS_ALLOW: the addresses `/metrics` answers (CIDR blocks), when set. */
  metricsAllow: readonly string[];
  /** METRICS_KEY_LABELS: also label Prometheus series by key and user (many series on big installations). */
  keyLabels: boolean;
  /** How often replicas write their live windows and in-flight counts to Redis. */
  shareIntervalMs: number;
  /** How often a `liveMetrics` subscription pushes. */
  pushIntervalMs: number;
}

export const MONITORING_OPTIONS = Symbol('MONITORING_OPTIONS');
