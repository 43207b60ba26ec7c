import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InFlightCalls, RequestLogWriter } from '@synapse/gateway/proxy';
import { Gauge, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import { MONITORING_OPTIONS, type MonitoringOptions } from '../monitoring-options';
import { LlmMetrics } from './llm-metrics';

/**
 * The registry `/metrics` prints: the proxy's request metrics (LlmMetrics, fed by the request log
 * writer), calls in flight per model, and Node's process metrics. Per replica: Prometheus scrapes
 * each replica and sums.
 */
@Injectable()
export class PrometheusMetrics implements OnModuleInit {
  readonly registry = new Registry();
  private readonly llm: LlmMetrics;

  constructor(
    private readonly writer: RequestLogWriter,
    private readonly calls: InFlightCalls,
    @Inject(MONITORING_OPTIONS) private readonly options: MonitoringOptions,
  ) {
    this.llm = new LlmMetrics(options.keyLabels);
  }

  /** Collected only when `/metrics` can be read: nobody scraping, the hot path pays nothing for it. */
  get collecting(): boolean {
    return this.options.enabled && (this.options.metricsToken !== undefined || this.options.metricsAllow.length > 0);
  }

  onModuleInit(): void {
    if (!this.collecting) return;
    const llm = this.llm;
    this.writer.observe((entry) => llm.record(entry));
    for (const metric of llm.metrics()) this.registry.registerMetric(metric as unknown as Metric);
    const calls = this.calls;
    new Gauge({
      name: 'synapse_requests_in_flight',
      help: 'Proxied calls in flight on this replica, by requested model.',
      labelNames: ['model'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [model, count] of calls.byModel) this.set({ model }, count);
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
