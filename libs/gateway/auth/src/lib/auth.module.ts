import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { SecretBox } from '@synapse/crypto';
import { GqlAuthGuard } from './guards/gql-auth.guard';
import { RolesGuard } from './guards/roles.guard';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, ACCESS_TOKEN_TTL_SECONDS } from './jwt/access-token';
import { JWT_SIGNING_KEY, jwtSigningKey } from './jwt/jwt-signing-key';
import { JwtStrategy } from './jwt/jwt.strategy';
import { LoginController } from './login/login.controller';
import { LoginService } from './login/login.service';

/**
 * Operators' sign-in (`POST /api/auth/login`, JWT access tokens) and the guards that protect every
 * GraphQL operation: GqlAuthGuard (who are you) then RolesGuard (may you). Needs UserRepository
 * and SecretBox from the global persistence and provisioning modules.
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
  controllers: [LoginController],
  providers: [
    { provide: JWT_SIGNING_KEY, inject: [SecretBox], useFactory: jwtSigningKey },
    JwtStrategy,
    LoginService,
    // Global, in this order: authentication first, then the role check.
    { provide: APP_GUARD, useClass: GqlAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
})
export class AuthModule {}
