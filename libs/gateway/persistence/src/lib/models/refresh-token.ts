/**
 * One refresh token of an operator's session. Tokens of one sign-in form a family: each refresh
 * revokes the token it used and issues its successor in the same family, so that presenting a
 * rotated token again (a stolen copy) can end the whole session.
 */
export interface RefreshToken {
  id: string;
  userId: string;
  familyId: string;
  /** SHA-256 of the token, hex. The token itself is never stored. */
  tokenHash: string;
  expiresAt: Date;
  /** Set at rotation, sign-out, password change or reuse; a revoked token is never accepted again. */
  revokedAt: Date | null;
  /** The id of the successor issued when this token was used; null for a token revoked otherwise. */
  replacedBy: string | null;
  createdAt: Date;
  /**
   * When the session (the family) began: carried from token to token, it bounds the session's age.
   * Null only in a row written by a gateway older than the column (a rolling upgrade): the row's
   * `createdAt` stands in for it.
   */
  sessionStartedAt: Date | null;
  userAgent: string | null;
  ip: string | null;
}
