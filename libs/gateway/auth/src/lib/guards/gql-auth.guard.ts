import { Injectable, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthGuard } from '@nestjs/passport';
import type { AuthenticatedUser } from '../jwt/access-token';
import { ADMIN_JWT_STRATEGY, TOKEN_REVOKED } from '../jwt/jwt.strategy';
import { AuthFailureLog } from '../login/auth-failure-log';
import { GqlErrors } from '../errors/gql-errors';
import { gqlContext, isGraphql } from './gql-request';

/**
 * Authentication for every GraphQL operation: a valid access token, or UNAUTHENTICATED. Installed
 * globally by AuthModule; other transports (health, /v1, login) are left alone. AuthorizationGuard
 * decides what the user may do.
 */
@Injectable()
export class GqlAuthGuard extends AuthGuard(ADMIN_JWT_STRATEGY) {
  constructor(private readonly failures: AuthFailureLog) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!isGraphql(context)) return true;
    try {
      return (await super.canActivate(context)) as boolean;
    } catch (error) {
      const request = this.getRequest(context) as Partial<FastifyRequest> | undefined;
      const reason = !request?.headers?.authorization
        ? 'missing_token'
        : /expired/.test((error as Error).message)
          ? 'expired_token'
          : /revoked/.test((error as Error).message)
            ? 'revoked_token'
            : 'invalid_token';
      this.failures.accessToken(request?.ip ?? 'unknown', 'POST /graphql', reason);
      throw error;
    }
  }

  override getRequest(context: ExecutionContext) {
    return gqlContext(context).req;
  }

  getResponse(context: ExecutionContext) {
    return gqlContext(context).reply;
  }

  override handleRequest<TUser = AuthenticatedUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    if (error) throw error;
    if (!user) {
      const reason = (info as Error | undefined)?.name;
      if (reason === 'TokenExpiredError') {
        throw GqlErrors.unauthenticated('The access token has expired: sign in again (POST /api/auth/login).');
      }
      if (reason === TOKEN_REVOKED) {
        throw GqlErrors.unauthenticated(
          'The access token was revoked (signed out): sign in again (POST /api/auth/login).',
        );
      }
      throw GqlErrors.unauthenticated();
    }
    return user;
  }
}
