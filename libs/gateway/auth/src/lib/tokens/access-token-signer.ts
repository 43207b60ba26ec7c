import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { User } from '@synapse/gateway/persistence';
import { ACCESS_TOKEN_TTL_SECONDS, type AccessTokenClaims, type AccessTokenResponse } from '../jwt/access-token';

/** Signs a stateless access token (JWT, HS256, 15 minutes) for a user as stored now. */
@Injectable()
export class AccessTokenSigner {
  constructor(private readonly jwt: JwtService) {}

  async sign(user: User): Promise<AccessTokenResponse> {
    const claims: AccessTokenClaims = { sub: user.id, email: user.email, role: user.role };
    return { accessToken: await this.jwt.signAsync(claims), tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }
}
