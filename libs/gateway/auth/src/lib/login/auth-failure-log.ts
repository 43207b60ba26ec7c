import { Injectable, Logger } from '@nestjs/common';
import { AuditTrail } from '@synapse/gateway/audit';
import { logLine } from '@synapse/gateway/errors';
import type { RefreshRejection } from '../tokens/refresh-tokens.service';

export type LoginFailure = 'unknown_email' | 'bad_password' | 'no_password' | 'locked_account' | 'locked_ip';
export type PasswordChangeFailure = 'bad_current_password' | 'no_password' | 'locked_account' | 'locked_ip';
export type SsoCodeFailure = 'invalid_code' | 'code_expired' | 'code_used' | 'unknown_user';
export type AccessTokenFailure = 'missing_token' | 'invalid_token' | 'expired_token' | 'revoked_token' | 'unknown_user';

/** `ops@example.com` → `o***@example.com`: enough to recognise an account in a log, not to harvest it. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 1 ? '***' : `${email[0]}***${email.slice(at)}`;
}

/**
 * One warning per refused sign-in, refresh, token or password change, with the reason class, and
 * the same as an audit event (`auth.*`, outcome `failed`). Never the password or the token; the
 * email is masked in the log, and kept whole in the audit trail, which only auditors read.
 */
@Injectable()
export class AuthFailureLog {
  private readonly logger = new Logger('Auth');

  constructor(private readonly audit: AuditTrail) {}

  login(email: string, ip: string, reason: LoginFailure): void {
    this.logger.warn(`login failed for ${maskEmail(email)} from ${ip} (${reason})`);
    // What was typed for an unknown account may be anything (a password pasted in the wrong field).
    this.record('auth.login', ip, reason, { actorEmail: reason === 'unknown_email' ? maskEmail(email) : email });
  }

  refresh(ip: string, reason: RefreshRejection | 'unknown_user', userId?: string): void {
    const family = reason === 'reused' || reason === 'session_expired' ? ': session revoked' : '';
    this.logger.warn(`refresh failed${userId ? ` for user ${userId}` : ''} from ${ip} (${reason}${family})`);
    this.record('auth.refresh', ip, `${reason}${family}`, { actorId: userId ?? null });
  }

  logout(ip: string): void {
    this.logger.warn(`logout failed from ${ip} (unknown_token)`);
    this.record('auth.logout', ip, 'unknown_token');
  }

  accessToken(ip: string, route: string, reason: AccessTokenFailure): void {
    this.logger.warn(`${route} refused from ${ip} (${reason})`);
    this.record('auth.accessToken', ip, `${route}: ${reason}`);
  }

  /**
   * A refused single sign-on; `detail` says which check failed, never a token or a secret. A
   * refused link to an existing account (`accountId`) is `auth.ssoLink`, beside the links made.
   */
  sso(ip: string, reason: string, email?: string, detail?: string, accountId?: string): void {
    const who = email ? ` for ${logLine(maskEmail(email))}` : '';
    // The detail may quote the provider, or the callback's `error`, which anyone can write.
    this.logger.warn(`sso sign-in failed${who} from ${ip} (${reason}${detail ? `: ${logLine(detail)}` : ''})`);
    this.audit.record({
      action: accountId ? 'auth.ssoLink' : 'auth.sso',
      outcome: 'failed',
      ip,
      detail: detail ? `${reason}: ${detail}` : reason,
      ...(email && { actorEmail: email.slice(0, 254) }),
      ...(accountId && { subject: 'User', subjectId: accountId }),
    });
  }

  ssoCode(ip: string, reason: SsoCodeFailure, userId?: string): void {
    const family = reason === 'code_used' ? ': session revoked' : '';
    this.logger.warn(`sso code exchange failed${userId ? ` for user ${userId}` : ''} from ${ip} (${reason}${family})`);
    this.record('auth.ssoCode', ip, `${reason}${family}`, { actorId: userId ?? null });
  }

  passwordChange(email: string, ip: string, reason: PasswordChangeFailure): void {
    this.logger.warn(`password change failed for ${maskEmail(email)} from ${ip} (${reason})`);
    this.record('auth.passwordChange', ip, reason, { actorEmail: email });
  }

  private record(
    action: string,
    ip: string,
    detail: string,
    actor: { actorId?: string | null; actorEmail?: string } = {},
  ): void {
    this.audit.record({ action, outcome: 'failed', ip, detail, ...actor });
  }
}
