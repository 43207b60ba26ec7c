import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  type AccessTokenClaims,
  type AuthenticatedUser,
} from './access-token';
import { JWT_SIGNING_KEY } from './jwt-signing-key';

export const ADMIN_JWT_STRATEGY = 'admin-jwt';

/** Reads `Authorization: Bearer <access token>` and checks signature, algorithm, issuer, audience and expiry. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, ADMIN_JWT_STRATEGY) {
  constructor(@Inject(JWT_SIGNING_KEY) signingKey: Buffer) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: signingKey,
      algorithms: ['HS256'],
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
    });
  }

  validate(claims: Partial<AccessTokenClaims>): AuthenticatedUser | false {
    const { sub, email, role } = claims;
    if (typeof sub !== 'string' || typeof email !== 'string' || typeof role !== 'string' || !role) return false;
    return { id: sub, email, role };
  }
}
