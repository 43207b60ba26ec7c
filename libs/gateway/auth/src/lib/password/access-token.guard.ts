import { Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '../jwt/access-token';
import { ADMIN_JWT_STRATEGY, TOKEN_REVOKED } from '../jwt/jwt.strategy';
import { AuthErrors } from '../login/auth-errors';
import { AuthFailureLog } from '../login/auth-failure-log';

/** A valid access token on a REST route (`Authorization: Bearer …`), or a 401 in the gateway's JSON error shape. */
@Injectable()
export class AccessTokenGuard extends AuthGuard(ADMIN_JWT_STRATEGY) {
  constructor(private readonly failures: AuthFailureLog) {
    super();
  }

  override handleRequest<TUser = AuthenticatedUser>(
    error: unknown,
    user: TUser | false,
    info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (error) throw error;
    if (user) return user;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const route = `${request.method} ${request.routeOptions.url ?? ''}`;
    if (!request.headers.authorization) {
      this.failures.accessToken(request.ip, route, 'missing_token');
      throw AuthErrors.missingAccessToken();
    }
    const reason = (info as Error | undefined)?.name;
    const expired = reason === 'TokenExpiredError';
    const revoked = reason === TOKEN_REVOKED;
    this.failures.accessToken(
      request.ip,
      route,
      expired ? 'expired_token' : revoked ? 'revoked_token' : 'invalid_token',
    );
    throw expired ? AuthErrors.expiredAccessToken() : AuthErrors.invalidAccessToken();
  }
}
