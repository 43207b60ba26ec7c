import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { OidcSettings } from '@synapse/gateway/config';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { OidcClient } from './oidc-client';
import { OidcFailure } from './oidc-failure';
import { oidcIdentity, readClaim, type OidcIdentity } from './oidc-identity';
import { OIDC_SETTINGS } from './oidc-settings.token';
import { OidcStateCookie } from './oidc-state-cookie';

export const OIDC_STRATEGY = 'oidc';

type CallbackQuery = Partial<Record<'code' | 'state' | 'error', unknown>>;

/**
 * The provider's redirect back (`GET /api/auth/oidc/callback`): the state must be the one sealed in
 * this browser's cookie; then the code is redeemed with the PKCE verifier and the ID token verified.
 */
@Injectable()
export class OidcStrategy extends PassportStrategy(Strategy, OIDC_STRATEGY) {
  constructor(
    @Inject(OIDC_SETTINGS) private readonly settings: OidcSettings,
    private readonly client: OidcClient,
    private readonly stateCookie: OidcStateCookie,
  ) {
    super();
  }

  async validate(request: FastifyRequest): Promise<OidcIdentity> {
    const query = request.query as CallbackQuery;
    const state = typeof query.state === 'string' ? query.state : undefined;
    const pending = this.stateCookie.open(request.headers.cookie, state);
    if (!pending) throw new OidcFailure('invalid_state', state ? 'no matching sign-in in this browser' : 'no state');
    if (query.error !== undefined) throw new OidcFailure('provider_error', String(query.error).slice(0, 64));
    if (typeof query.code !== 'string' || !query.code) throw new OidcFailure('provider_error', 'no code');

    const { idToken, accessToken } = await this.client.exchangeCode(query.code, pending.verifier);
    const claims: Record<string, unknown> = await this.client.verifyIdToken(idToken, pending.nonce);
    // Providers may keep profile claims for the UserInfo endpoint (oidc-provider, Okta's org server).
    const lacking =
      claims['email'] === undefined ||
      (this.settings.roleClaim !== undefined && readClaim(claims, this.settings.roleClaim) === undefined);
    if (lacking && accessToken) {
      const userinfo = await this.client.userinfo(accessToken, String(claims['sub']));
      // The signed ID token wins where both speak.
      return oidcIdentity({ ...userinfo, ...claims }, this.settings);
    }
    return oidcIdentity(claims, this.settings);
  }
}
