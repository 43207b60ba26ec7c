import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { OidcFailure } from './oidc-failure';
import type { OidcIdentity } from './oidc-identity';
import { OIDC_STRATEGY } from './oidc.strategy';

/** Runs the 'oidc' strategy; its refusals stay OidcFailures, for OidcRedirectFilter. */
@Injectable()
export class OidcCallbackGuard extends AuthGuard(OIDC_STRATEGY) {
  override handleRequest<TUser = OidcIdentity>(error: unknown, user: TUser | false): TUser {
    if (error) throw error;
    if (!user) throw new OidcFailure('invalid_state', 'strategy returned no identity');
    return user;
  }
}
