import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { RefreshTokenRepository, type RefreshToken } from '@synapse/gateway/persistence';
import { randomUUID } from 'node:crypto';
import type { ClientInfo } from '../login/client-info';
import { SessionRevocations } from '../sessions/session-revocations';
import { hashRefreshToken, newRefreshToken } from './refresh-token-secret';
import { DEFAULT_SESSION_POLICY, SESSION_POLICY, type SessionPolicy } from './session-policy';
import { REFRESH_TOKEN_TTL_SECONDS } from './token-pair';

/** Why a refresh token was refused (for the log and the error code). */
export type RefreshRejection = 'unknown_token' | 'expired' | 'revoked' | 'reused' | 'session_expired';

/** A refresh token issued, with its life in seconds (the session's end may cut it short). */
export interface IssuedRefreshToken {
  refreshToken: string;
  sessionId: string;
  expiresIn: number;
}

export type Rotation =
  | ({ ok: true; userId: string } & IssuedRefreshToken)
  | { ok: false; reason: RefreshRejection; userId?: string };

/** Expired tokens are deleted on sign-in, at most this often per replica. */
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * Refresh tokens: one family per sign-in, rotated on every use. A rotated token presented again
 * means two parties hold the family (a stolen copy), so the whole family is revoked. A family ends
 * SESSION_MAX_AGE_HOURS after its sign-in: its start travels with every rotation, so refreshing
 * cannot keep a stolen session alive for ever.
 */
@Injectable()
export class RefreshTokens {
  private readonly logger = new Logger(RefreshTokens.name);
  private lastPrune = 0;

  constructor(
    private readonly repo: RefreshTokenRepository,
    private readonly revocations: SessionRevocations,
    @Optional() @Inject(SESSION_POLICY) private readonly policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  ) {}

  /**
   * Starts a family (one sign-in) and returns its first token. A shorter life suits a first token
   * that only carries the sign-in over to its client (the single sign-on's one-time code).
   */
  async start(userId: string, client: ClientInfo, ttlSeconds = REFRESH_TOKEN_TTL_SECONDS): Promise<IssuedRefreshToken> {
    this.pruneNowAndThen();
    const sessionId = randomUUID();
    const now = new Date();
    const next = this.mint(userId, sessionId, now, client, now, ttlSeconds);
    await this.repo.insert(next.row);
    return { refreshToken: next.token, sessionId, expiresIn: next.expiresIn };
  }

  /** Exchanges an active token for its successor; the used one is never accepted again. */
  async rotate(token: string, client: ClientInfo): Promise<Rotation> {
    const used = await this.repo.findByHash(hashRefreshToken(token));
    if (!used) return { ok: false, reason: 'unknown_token' };
    const { userId } = used;
    const now = new Date();
    if (used.revokedAt) {
      if (!used.replacedBy) return { ok: false, reason: 'revoked', userId };
      await this.endFamily(used.familyId, now);
      return { ok: false, reason: 'reused', userId };
    }
    const sessionStartedAt = used.sessionStartedAt ?? used.createdAt;
    if (now.getTime() >= this.sessionEnd(sessionStartedAt)) {
      await this.endFamily(used.familyId, now);
      return { ok: false, reason: 'session_expired', userId };
    }
    if (used.expiresAt <= now) return { ok: false, reason: 'expired', userId };
    const next = this.mint(userId, used.familyId, sessionStartedAt, client, now);
    if (!(await this.repo.rotate(used.id, next.row, now))) {
      // A concurrent refresh with the same token won: two parties hold it, as with a replay.
      await this.endFamily(used.familyId, now);
      return { ok: false, reason: 'reused', userId };
    }
    return { ok: true, userId, sessionId: used.familyId, refreshToken: next.token, expiresIn: next.expiresIn };
  }

  /** Revokes the family of the token (sign-out); null for a token that was never issued. */
  async endSession(token: string): Promise<{ userId: string } | null> {
    const found = await this.repo.findByHash(hashRefreshToken(token));
    if (!found) return null;
    await this.endFamily(found.familyId, new Date());
    return { userId: found.userId };
  }

  /** Revokes every family of the user (password change, deletion) and their access tokens; returns how many refresh tokens were active. */
  async endAllSessions(userId: string): Promise<number> {
    const revoked = await this.repo.revokeAllOfUser(userId, new Date());
    await this.revocations.revokeUser(userId);
    return revoked;
  }

  /** The family's refresh tokens, and the access tokens issued in it. */
  private async endFamily(familyId: string, now: Date): Promise<void> {
    await this.repo.revokeFamily(familyId, now);
    await this.revocations.revokeSession(familyId);
  }

  /** Epoch milliseconds at which a session that began then ends. */
  private sessionEnd(startedAt: Date): number {
    return startedAt.getTime() + this.policy.maxAgeSeconds * 1000;
  }

  /** A new token of the family, living its TTL or until the session ends, whichever comes first. */
  private mint(
    userId: string,
    familyId: string,
    sessionStartedAt: Date,
    client: ClientInfo,
    now: Date,
    ttlSeconds = REFRESH_TOKEN_TTL_SECONDS,
  ): { token: string; row: RefreshToken; expiresIn: number } {
    const token = newRefreshToken();
    const expiresAt = Math.min(now.getTime() + ttlSeconds * 1000, this.sessionEnd(sessionStartedAt));
    return {
      token,
      expiresIn: Math.max(0, Math.floor((expiresAt - now.getTime()) / 1000)),
      row: {
        id: randomUUID(),
        userId,
        familyId,
        tokenHash: hashRefreshToken(token),
        expiresAt: new Date(expiresAt),
        revokedAt: null,
        replacedBy: null,
        createdAt: now,
        sessionStartedAt,
        userAgent: client.userAgent,
        ip: client.ip,
      },
    };
  }

  private pruneNowAndThen(): void {
    const now = Date.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    // Revoked tokens stay until they expire: until then, presenting one must still be recognised as reuse.
    this.repo.deleteExpired(new Date(now)).catch((error: Error) => {
      this.logger.warn(`could not delete expired refresh tokens: ${error.message}`);
    });
  }
}
