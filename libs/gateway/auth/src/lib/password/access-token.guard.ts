import { Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '../jwt/access-token';
import { accessTokenFailure } from '../jwt/access-token-failure';
import { ADMIN_JWT_STRATEGY } from '../jwt/jwt.strategy';
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
    const reason = accessTokenFailure(request.headers.authorization, info);
    this.failures.accessToken(request.ip, `${request.method} ${request.routeOptions.url ?? ''}`, reason);
    if (reason === 'missing_token') throw AuthErrors.missingAccessToken();
    throw reason === 'expired_token' ? AuthErrors.expiredAccessToken() : AuthErrors.invalidAccessToken();
  }
}
