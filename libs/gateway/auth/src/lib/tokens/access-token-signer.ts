import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { User } from '@synapse/gateway/persistence';
import { ACCESS_TOKEN_TTL_SECONDS, type AccessTokenClaims, type AccessTokenResponse } from '../jwt/access-token';

/** Signs an access token (JWT, HS256, 15 minutes) for a user as stored now, in one of their sessions. */
@Injectable()
export class AccessTokenSigner {
  constructor(private readonly jwt: JwtService) {}

  /** For the session (refresh-token family) `sessionId`, so that signing out ends this token too. */
  async sign(user: User, sessionId: string): Promise<AccessTokenResponse> {
    const claims: AccessTokenClaims = {
      sub: user.id,
      email: user.email,
      role: user.role,
      sid: sessionId,
      iatMs: Date.now(),
    };
    return { accessToken: await this.jwt.signAsync(claims), tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }
}
