import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import { REDIS } from '@synapse/gateway/cluster';
import { StoreAvailability } from '@synapse/gateway/persistence';
import type { FastifyReply } from 'fastify';
import type Redis from 'ioredis';
import { Lifecycle } from './lifecycle';

type Check = 'up' | 'down';

/**
 * Liveness says the process runs; readiness says it can serve. The proxy serves from memory, so a
 * database or Redis outage makes the replica `degraded` (200, the checks say which is down), not
 * unready: every replica shares them, and failing readiness everywhere would take the whole
 * gateway out of its load balancer. Only a draining replica answers 503.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly store: StoreAvailability,
    @Optional() @Inject(REDIS) private readonly redis: Redis | null,
    private readonly lifecycle: Lifecycle,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    // The same probe that gates the admin API, so that both say the same of the database.
    const checks: Record<string, Check> = { database: (await this.store.probe()) ? 'up' : 'down' };
    if (this.redis) checks['redis'] = await this.checkRedis(this.redis);
    if (this.lifecycle.draining) {
      reply.code(503).send({ status: 'draining', checks });
      return;
    }
    const allUp = Object.values(checks).every((c) => c === 'up');
    reply.code(200).send({ status: allUp ? 'ok' : 'degraded', checks });
  }

  private async checkRedis(redis: Redis): Promise<Check> {
    try {
      return (await withTimeout(redis.ping())) === 'PONG' ? 'up' : 'down';
    } catch {
      return 'down';
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms = 2000): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref()),
  ]);
}
