import { Module, type DynamicModule } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { SecretBox } from '@synapse/crypto';
import type { OidcSettings } from '@synapse/gateway/config';
import { AuthModule } from '../auth.module';
import { AuthMethodsController } from './auth-methods.controller';
import { OidcCallbackGuard } from './oidc-callback.guard';
import { OidcClient } from './oidc-client';
import { OidcRedirectFilter } from './oidc-redirect.filter';
import { OIDC_SETTINGS } from './oidc-settings.token';
import { OidcSignInService } from './oidc-sign-in.service';
import { OidcStateCookie } from './oidc-state-cookie';
import { OidcController } from './oidc.controller';
import { OidcStrategy } from './oidc.strategy';

/**
 * `GET /api/auth/methods` always; with settings, single sign-on through one OpenID Connect
 * provider (`/api/auth/oidc/*`). Without settings nothing else is registered and nothing is fetched.
 */
@Module({})
export class OidcModule {
  static forRoot(settings: OidcSettings | null): DynamicModule {
    const sso = settings
      ? {
          controllers: [OidcController],
          providers: [
            { provide: OidcClient, useFactory: () => new OidcClient(settings) },
            {
              provide: OidcStateCookie,
              inject: [SecretBox],
              useFactory: (secrets: SecretBox) => new OidcStateCookie(secrets, settings.secureCookie),
            },
            OidcStrategy,
            OidcSignInService,
            OidcCallbackGuard,
            OidcRedirectFilter,
          ],
        }
      : { controllers: [], providers: [] };
    return {
      module: OidcModule,
      imports: [AuthModule, PassportModule],
      controllers: [AuthMethodsController, ...sso.controllers],
      providers: [{ provide: OIDC_SETTINGS, useValue: settings }, ...sso.providers],
    };
  }
}
