import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthFailureLog } from '../login/auth-failure-log';
import { OidcFailure } from './oidc-failure';
import { OidcSignInService } from './oidc-sign-in.service';
import { OidcStateCookie } from './oidc-state-cookie';

/**
 * A refused single sign-on happens in the browser's address bar, not in a fetch: log it, forget
 * the pending sign-in and send the browser to the console's login page with the error code.
 */
@Catch(OidcFailure)
export class OidcRedirectFilter implements ExceptionFilter {
  constructor(
    private readonly signIn: OidcSignInService,
    private readonly stateCookie: OidcStateCookie,
    private readonly failures: AuthFailureLog,
  ) {}

  catch(failure: OidcFailure, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    this.failures.sso(request.ip, failure.code, failure.email, failure.detail, failure.accountId);
    void http
      .getResponse<FastifyReply>()
      .header('set-cookie', this.stateCookie.clear())
      .header('cache-control', 'no-store')
      .redirect(this.signIn.failureUrl(failure.code), 302);
  }
}
