import { Controller, Get, Inject } from '@nestjs/common';
import type { OidcSettings } from '@synapse/gateway/config';
import { OIDC_SETTINGS } from './oidc-settings.token';

/** The body of `GET /api/auth/methods`. */
export interface AuthMethodsResponse {
  password: boolean;
  /** Null when single sign-on is off. */
  oidc: { name: string; loginUrl: string } | null;
}

/** Which sign-in methods are on, for the console's login page (public: it is shown before sign-in). */
@Controller('api/auth')
export class AuthMethodsController {
  constructor(@Inject(OIDC_SETTINGS) private readonly settings: OidcSettings | null) {}

  @Get('methods')
  methods(): AuthMethodsResponse {
    return {
      password: true,
      oidc: this.settings ? { name: this.settings.displayName, loginUrl: '/api/auth/oidc/login' } : null,
    };
  }
}
