import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { gqlContext, isGraphql } from '../guards/gql-request';

/** Routes the admin rate limit leaves alone: probes, and /v1 (whose limits are per key, in the proxy). */
const UNTHROTTLED = /^\/(health|v1)(\/|\?|$)/;

/**
 * ThrottlerGuard for the admin routes (`/api/auth/*`, `/graphql`, ...), per client address, on the
 * shared ThrottlerStorage (Redis when configured). The proxied POSTs never reach Nest guards.
 */
@Injectable()
export class AdminThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (isGraphql(context)) return false;
    if (context.getType() !== 'http') return true;
    return UNTHROTTLED.test(context.switchToHttp().getRequest<FastifyRequest>().url ?? '');
  }

  protected override getRequestResponse(context: ExecutionContext) {
    if (!isGraphql(context)) return super.getRequestResponse(context);
    const { req, reply } = gqlContext(context);
    return { req: req as unknown as Record<string, unknown>, res: reply as unknown as Record<string, unknown> };
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    if (!isGraphql(context)) return super.throwThrottlingException(context, detail);
    throw new GraphQLError(`Too many requests; retry in ${detail.timeToBlockExpire} s.`, {
      extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: detail.timeToBlockExpire },
    });
  }
}
