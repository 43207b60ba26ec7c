import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { UserRepository, type User } from '@synapse/gateway/persistence';
import { hashPassword } from '@synapse/gateway/provisioning';
import { GatewayError } from '@synapse/gateway/proxy';
import { verify } from 'argon2';
import { randomBytes } from 'node:crypto';
import { ACCESS_TOKEN_TTL_SECONDS, type AccessTokenClaims, type AccessTokenResponse } from '../jwt/access-token';

/** One answer for an unknown email and a wrong password, so that nobody can probe for accounts. */
export const invalidCredentials = () => new GatewayError(401, 'invalid_credentials', 'Incorrect email or password.');

/** Checks an email and password against the stored argon2id hash and issues an access token. */
@Injectable()
export class LoginService {
  /**
   * Verified when the account does not exist or has no password, so that such attempts take as
   * long as a wrong password. Hashed with the same parameters as real passwords.
   */
  private readonly dummyHash: Promise<string> = hashPassword(randomBytes(16).toString('base64url'));

  constructor(
    private readonly users: UserRepository,
    private readonly jwt: JwtService,
  ) {}

  async login(email: string, password: string): Promise<AccessTokenResponse> {
    const user = await this.users.findByEmail(email);
    const matches = await verifyPassword(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user?.passwordHash || !matches) throw invalidCredentials();
    return this.issue(user);
  }

  private async issue(user: User): Promise<AccessTokenResponse> {
    const claims: AccessTokenClaims = { sub: user.id, email: user.email, role: user.role };
    return { accessToken: await this.jwt.signAsync(claims), tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }
}

async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await verify(hash, password);
  } catch {
    // A malformed stored hash is a failed login, not a 500 that would tell the account exists.
    return false;
  }
}
