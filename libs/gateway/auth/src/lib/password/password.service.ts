import { Injectable, Logger } from '@nestjs/common';
import { UserRepository } from '@synapse/gateway/persistence';
import type { AuthenticatedUser } from '../jwt/access-token';
import { LoginLockout } from '../lockout/login-lockout.service';
import { AuthErrors } from '../login/auth-errors';
import { AuthFailureLog, maskEmail } from '../login/auth-failure-log';
import type { ClientInfo } from '../login/client-info';
import { hashPassword, verifyPassword } from './password-hashing';
import { RefreshTokens } from '../tokens/refresh-tokens.service';

/**
 * Changes the signed-in user's password. The current one is checked within the sign-in lockout,
 * so that a stolen access token cannot be used to guess it; a change ends every session.
 */
@Injectable()
export class PasswordService {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly users: UserRepository,
    private readonly lockout: LoginLockout,
    private readonly refreshTokens: RefreshTokens,
    private readonly failures: AuthFailureLog,
  ) {}

  async change(
    who: AuthenticatedUser,
    currentPassword: string,
    newPassword: string,
    client: ClientInfo,
  ): Promise<void> {
    const user = await this.users.findById(who.id);
    if (!user) {
      this.failures.accessToken(client.ip, 'POST /api/auth/password', 'unknown_user');
      throw AuthErrors.accountGone();
    }
    if (!user.passwordHash) {
      this.failures.passwordChange(user.email, client.ip, 'no_password');
      throw AuthErrors.noPassword();
    }
    if (newPassword === currentPassword) throw AuthErrors.samePassword();
    const attempt = await this.lockout.begin(user.email, client.ip);
    if (attempt.lock) {
      this.failures.passwordChange(user.email, client.ip, `locked_${attempt.lock.subject}`);
      throw AuthErrors.tooManyAttempts(attempt.lock.retryAfterSeconds);
    }
    if (!(await verifyPassword(user.passwordHash, currentPassword))) {
      await attempt.failed();
      this.failures.passwordChange(user.email, client.ip, 'bad_current_password');
      throw AuthErrors.wrongCurrentPassword();
    }
    await attempt.succeeded();
    await this.users.save({ ...user, passwordHash: await hashPassword(newPassword), updatedAt: new Date() });
    const revoked = await this.refreshTokens.endAllSessions(user.id);
    this.logger.log(
      `password changed for ${maskEmail(user.email)} from ${client.ip}; ${revoked} refresh tokens revoked`,
    );
  }
}
