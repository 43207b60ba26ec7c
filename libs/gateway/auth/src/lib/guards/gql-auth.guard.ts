import { Injectable, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthGuard } from '@nestjs/passport';
import type { GraphQLError } from 'graphql';
import type { AuthenticatedUser } from '../jwt/access-token';
import { accessTokenFailure } from '../jwt/access-token-failure';
import { ADMIN_JWT_STRATEGY } from '../jwt/jwt.strategy';
import { AuthFailureLog, type AccessTokenFailure } from '../login/auth-failure-log';
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
    return (await super.canActivate(context)) as boolean;
  }

  override getRequest(context: ExecutionContext) {
    return gqlContext(context).req;
  }

  getResponse(context: ExecutionContext) {
    return gqlContext(context).reply;
  }

  override handleRequest<TUser = AuthenticatedUser>(
    error: unknown,
    user: TUser | false,
    info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (error) throw error;
    if (user) return user;
    const request = this.getRequest(context) as Partial<FastifyRequest> | undefined;
    const reason = accessTokenFailure(request?.headers?.authorization, info);
    this.failures.accessToken(request?.ip ?? 'unknown', 'POST /graphql', reason);
    throw accessTokenRefusal(reason);
  }
}

/** UNAUTHENTICATED, saying what to do about the token: sign in, or sign in again. */
export function accessTokenRefusal(reason: AccessTokenFailure): GraphQLError {
  return GqlErrors.unauthenticated(MESSAGES[reason]);
}

const SIGN_IN_AGAIN = 'sign in again (POST /api/auth/login).';
const MESSAGES: Partial<Record<AccessTokenFailure, string>> = {
  expired_token: `The access token has expired: ${SIGN_IN_AGAIN}`,
  revoked_token: `The access token was revoked (signed out): ${SIGN_IN_AGAIN}`,
};
