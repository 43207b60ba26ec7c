import { Injectable } from '@nestjs/common';
import { UserRepository, type User } from '@synapse/gateway/persistence';
import { randomBytes } from 'node:crypto';
import { LoginLockout } from '../lockout/login-lockout.service';
import { AccessTokenSigner } from '../tokens/access-token-signer';
import { RefreshTokens } from '../tokens/refresh-tokens.service';
import { tokenPair, type TokenPairResponse } from '../tokens/token-pair';
import { AuthErrors } from './auth-errors';
import { AuthFailureLog } from './auth-failure-log';
import type { ClientInfo } from './client-info';
import { hashPassword, verifyPassword } from '../password/password-hashing';

/**
 * Checks an email and password against the stored argon2id hash, within the lockout limits, and
 * starts a session: a short-lived access token and the first refresh token of a new family.
 */
@Injectable()
export class LoginService {
  /**
   * Verified when the account does not exist or has no password, so that such attempts take as
   * long as a wrong password. Hashed with the same parameters as real passwords.
   */
  private readonly dummyHash: Promise<string> = hashPassword(randomBytes(16).toString('base64url'));

  constructor(
    private readonly users: UserRepository,
    private readonly lockout: LoginLockout,
    private readonly accessTokens: AccessTokenSigner,
    private readonly refreshTokens: RefreshTokens,
    private readonly failures: AuthFailureLog,
  ) {}

  /** Signs in: the account verified, then its session started. */
  async login(email: string, password: string, client: ClientInfo): Promise<TokenPairResponse> {
    return this.startSession(await this.verify(email, password, client), client);
  }

  /** The account whose password this is, or an auth error (counted against the lockout limits). */
  async verify(email: string, password: string, client: ClientInfo): Promise<User> {
    const attempt = await this.lockout.begin(email, client.ip);
    if (attempt.lock) {
      this.failures.login(email, client.ip, attempt.lock.subject === 'account' ? 'locked_account' : 'locked_ip');
      throw AuthErrors.tooManyAttempts(attempt.lock.retryAfterSeconds);
    }
    const user = await this.users.findByEmail(email);
    const matches = await verifyPassword(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user?.passwordHash || !matches) {
      await attempt.failed();
      this.failures.login(
        email,
        client.ip,
        !user ? 'unknown_email' : user.passwordHash ? 'bad_password' : 'no_password',
      );
      throw AuthErrors.invalidCredentials();
    }
    await attempt.succeeded();
    return user;
  }

  /** A short-lived access token and the first refresh token of a new family. */
  async startSession(user: User, client: ClientInfo): Promise<TokenPairResponse> {
    const refresh = await this.refreshTokens.start(user.id, client);
    return tokenPair(await this.accessTokens.sign(user, refresh.sessionId), refresh);
  }
}
