import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MONITORING_OPTIONS, type MonitoringOptions } from '../monitoring-options';
import { MetricsAccess } from './metrics-access';
import { PrometheusMetrics } from './prometheus-metrics';

/** `GET /metrics` for Prometheus, behind METRICS_TOKEN and/or METRICS_ALLOW; absent without either. */
@Controller()
export class MetricsController {
  private readonly access: MetricsAccess;

  constructor(
    private readonly metrics: PrometheusMetrics,
    @Inject(MONITORING_OPTIONS) private readonly options: MonitoringOptions,
  ) {
    this.access = new MetricsAccess({ token: options.metricsToken, allow: options.metricsAllow });
  }

  @Get('metrics')
  async scrape(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const verdict = this.options.enabled ? this.access.check(request.headers.authorization, request.ip) : 'disabled';
    switch (verdict) {
      case 'disabled':
        throw new NotFoundException('Cannot GET /metrics');
      case 'unauthorized':
        reply
          .code(401)
          .header('www-authenticate', 'Bearer realm="metrics"')
          .type('text/plain; charset=utf-8')
          .send('Send "Authorization: Bearer <METRICS_TOKEN>".\n');
        return;
      case 'forbidden':
        reply.code(403).type('text/plain; charset=utf-8').send('This address may not read /metrics (METRICS_ALLOW).\n');
        return;
      case 'allowed':
        reply
          .code(200)
          .type(this.metrics.contentType)
          .send(await this.metrics.text());
    }
  }
}
