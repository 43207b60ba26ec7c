import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';

/** Routes the admin rate limit leaves alone: probes, and /v1 (whose limits are per key, in the proxy). */
const UNTHROTTLED = /^\/(health|v1)(\/|\?|$)/;

/**
 * ThrottlerGuard for the admin REST routes (`/api/auth/*`, ...), per client address, on the shared
 * ThrottlerStorage (Redis when configured). The proxied POSTs never reach Nest guards. GraphQL
 * operations are not counted here, field by field after parsing: the admin API counts each HTTP
 * request to `/graphql` once, before its body is read (GraphqlGate), against the same limit.
 */
@Injectable()
export class AdminThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    return UNTHROTTLED.test(context.switchToHttp().getRequest<FastifyRequest>().url ?? '');
  }
}
