import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { SecretBox } from '@synapse/crypto';
import { AccessDirectory } from './access/access-directory';
import { AbilityFactory } from './guards/ability.factory';
import { AuthorizationGuard } from './guards/authorization.guard';
import { GqlAuthGuard } from './guards/gql-auth.guard';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, ACCESS_TOKEN_TTL_SECONDS } from './jwt/access-token';
import { BearerTokenPrecheck } from './jwt/bearer-token-precheck';
import { JWT_SIGNING_KEY, jwtSigningKey } from './jwt/jwt-signing-key';
import { JwtStrategy } from './jwt/jwt.strategy';
import { DEFAULT_LOCKOUT_POLICY, LOCKOUT_POLICY } from './lockout/lockout-policy';
import { lockoutStoreProvider } from './lockout/lockout-store.provider';
import { sessionRevocationsProvider } from './sessions/session-revocations.provider';
import { LoginLockout } from './lockout/login-lockout.service';
import { AuthFailureLog } from './login/auth-failure-log';
import { LoginController } from './login/login.controller';
import { LoginService } from './login/login.service';
import { PasswordStrategy } from './login/password.strategy';
import { AccessTokenGuard } from './password/access-token.guard';
import { PasswordController } from './password/password.controller';
import { PasswordService } from './password/password.service';
import { SessionController } from './sessions/session.controller';
import { SessionService } from './sessions/session.service';
import { AccessTokenSigner } from './tokens/access-token-signer';
import { RefreshTokens } from './tokens/refresh-tokens.service';

/**
 * Operators' sign-in (`/api/auth/*`: login, refresh, logout, password; access and refresh tokens,
 * lockout through REDIS when present) and the guards that protect every
 * GraphQL operation: GqlAuthGuard (who are you) then AuthorizationGuard (may you). Needs the user,
 * team, role and refresh-token repositories, SecretBox, InvalidationBus and AuditTrail from the
 * global persistence, provisioning, cluster and audit modules.
 */
@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [SecretBox],
      useFactory: (secrets: SecretBox) => ({
        secret: jwtSigningKey(secrets),
        signOptions: {
          algorithm: 'HS256',
          expiresIn: ACCESS_TOKEN_TTL_SECONDS,
          issuer: ACCESS_TOKEN_ISSUER,
          audience: ACCESS_TOKEN_AUDIENCE,
        },
        verifyOptions: { algorithms: ['HS256'], issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE },
      }),
    }),
  ],
  controllers: [LoginController, SessionController, PasswordController],
  providers: [
    { provide: JWT_SIGNING_KEY, inject: [SecretBox], useFactory: jwtSigningKey },
    JwtStrategy,
    PasswordStrategy,
    LoginService,
    SessionService,
    PasswordService,
    AccessTokenSigner,
    RefreshTokens,
    AccessTokenGuard,
    BearerTokenPrecheck,
    AuthFailureLog,
    LoginLockout,
    lockoutStoreProvider,
    sessionRevocationsProvider,
    { provide: LOCKOUT_POLICY, useValue: DEFAULT_LOCKOUT_POLICY },
    AccessDirectory,
    AbilityFactory,
    // Global, in this order: authentication first, then authorization.
    { provide: APP_GUARD, useClass: GqlAuthGuard },
    { provide: APP_GUARD, useClass: AuthorizationGuard },
  ],
  // AccessDirectory and BearerTokenPrecheck for the admin API; the token services for single
  // sign-on, which ends in the same sessions; AccessTokenGuard and AbilityFactory for the admin
  // API's REST routes (usage export).
  exports: [
    AccessDirectory,
    BearerTokenPrecheck,
    AccessTokenSigner,
    RefreshTokens,
    AuthFailureLog,
    AccessTokenGuard,
    AbilityFactory,
  ],
})
export class AuthModule {}
