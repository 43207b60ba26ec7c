import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  type AccessTokenClaims,
  type AuthenticatedUser,
} from './access-token';
import { SessionRevocations } from '../sessions/session-revocations';
import { JWT_SIGNING_KEY } from './jwt-signing-key';

export const ADMIN_JWT_STRATEGY = 'admin-jwt';

/** passport `info.name` for a valid token whose session was ended (sign-out, password change). */
export const TOKEN_REVOKED = 'TokenRevokedError';

/**
 * Reads `Authorization: Bearer <access token>` and checks signature, algorithm, issuer, audience and
 * expiry, then that its session was not ended since (SessionRevocations).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, ADMIN_JWT_STRATEGY) {
  constructor(
    @Inject(JWT_SIGNING_KEY) signingKey: Buffer,
    private readonly revocations: SessionRevocations,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: signingKey,
      algorithms: ['HS256'],
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
    });
  }

  /** The user, or false with the reason as passport's `info` (a token of a session that was ended). */
  async validate(
    claims: Partial<AccessTokenClaims> & { iat?: number },
  ): Promise<AuthenticatedUser | [false, { name: string; message: string }]> {
    const { sub, email, role, sid, iatMs, iat } = claims;
    if (typeof sub !== 'string' || typeof email !== 'string' || typeof role !== 'string' || !role) {
      return [false, { name: 'JsonWebTokenError', message: 'malformed claims' }];
    }
    const sessionId = typeof sid === 'string' ? sid : undefined;
    const issuedAt = typeof iatMs === 'number' ? iatMs : (iat ?? 0) * 1000;
    if (await this.revocations.isRevoked({ userId: sub, sessionId, issuedAt })) {
      return [false, { name: TOKEN_REVOKED, message: 'the session of this token has ended' }];
    }
    return { id: sub, email, role, ...(sessionId && { sessionId }) };
  }
}
