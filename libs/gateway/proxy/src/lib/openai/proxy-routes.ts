import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { PROXY_ENDPOINTS } from './proxy-endpoints';
import { ProxyService } from './proxy.service';

/**
 * The proxied POST routes are registered on Fastify itself rather than through a Nest controller.
 * Nest's per-request pipeline (execution context, pipes, guards, interceptors, async wrappers)
 * measured ~30 µs of CPU per request here, more than the rest of the proxying put together; these
 * routes need none of it (see docs/adr/0002-proxy-routes-on-fastify.md). Fastify's error handler,
 * and with it the gateway's exception filter, still answers errors raised before the handler.
 */
@Injectable()
export class ProxyRoutes implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly proxy: ProxyService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    for (const [path, endpoint] of PROXY_ENDPOINTS) {
      fastify.post(path, (request, reply) => this.proxy.forward(endpoint, request, reply));
    }
  }
}
