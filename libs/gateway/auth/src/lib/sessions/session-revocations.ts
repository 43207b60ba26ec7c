import type { RefreshTokenRepository } from '@synapse/gateway/persistence';
import { ACCESS_TOKEN_TTL_SECONDS } from '../jwt/access-token';

/** What an access token says of the session it belongs to. */
export interface TokenSession {
  userId: string;
  /** The refresh-token family (one per sign-in); absent in tokens issued before sessions were named. */
  sessionId?: string;
  /** When the token was issued, epoch milliseconds. */
  issuedAt: number;
}

/**
 * Access tokens are stateless and live 15 minutes; this is what ends them early. Signing out ends
 * one session, a password change or a reused refresh token every session of the user issued so
 * far. Entries only need to outlive the tokens they stop, so they expire with them.
 */
export abstract class SessionRevocations {
  abstract revokeSession(sessionId: string): Promise<void>;
  /** Every token of the user issued up to now. */
  abstract revokeUser(userId: string, now?: number): Promise<void>;
  abstract isRevoked(session: TokenSession): Promise<boolean>;
}

export const REVOCATION_TTL_SECONDS = ACCESS_TOKEN_TTL_SECONDS + 60;

/**
 * One replica's memory: enough without Redis, where there is only one replica. What it forgets at
 * a restart is read back from the refresh-token store once (`restore`), never per request.
 */
export class InProcessSessionRevocations extends SessionRevocations {
  private readonly sessions = new Map<string, number>();
  private readonly users = new Map<string, { from: number; until: number }>();

  /**
   * Sessions ended since `since` (sign-out, reuse, password change, deletion all revoke refresh
   * tokens): their access tokens may still be unexpired. Every access token names its session, so
   * the sessions alone cover a user's revocation too.
   */
  async restore(store: Pick<RefreshTokenRepository, 'endedSessionsSince'>, since: Date): Promise<number> {
    const ended = await store.endedSessionsSince(since);
    for (const { sessionId } of ended) await this.revokeSession(sessionId);
    return ended.length;
  }

  async revokeSession(sessionId: string): Promise<void> {
    this.prune();
    this.sessions.set(sessionId, Date.now() + REVOCATION_TTL_SECONDS * 1000);
  }

  async revokeUser(userId: string, now = Date.now()): Promise<void> {
    this.prune();
    this.users.set(userId, { from: now, until: now + REVOCATION_TTL_SECONDS * 1000 });
  }

  async isRevoked({ userId, sessionId, issuedAt }: TokenSession): Promise<boolean> {
    const now = Date.now();
    const session = sessionId ? this.sessions.get(sessionId) : undefined;
    if (session !== undefined && session > now) return true;
    const user = this.users.get(userId);
    return user !== undefined && user.until > now && issuedAt <= user.from;
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, until] of this.sessions) if (until <= now) this.sessions.delete(id);
    for (const [id, { until }] of this.users) if (until <= now) this.users.delete(id);
  }
}
