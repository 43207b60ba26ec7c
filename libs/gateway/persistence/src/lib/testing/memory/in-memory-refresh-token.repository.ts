import type { RefreshToken } from '../../models/refresh-token';
import { RefreshTokenRepository } from '../../repositories';

/**
 * The refresh-token contract in a Map, for tests of code that needs it without a database. It
 * passes the same contract tests as the SQL stores.
 */
export class InMemoryRefreshTokenRepository extends RefreshTokenRepository {
  private readonly tokens = new Map<string, RefreshToken>();

  async insert(token: RefreshToken): Promise<void> {
    if (this.tokens.has(token.id) || this.find((t) => t.tokenHash === token.tokenHash).length > 0) {
      throw new Error(`duplicate refresh token ${token.id}`);
    }
    this.tokens.set(token.id, { ...token });
  }

  async findByHash(tokenHash: string): Promise<RefreshToken | null> {
    const [found] = this.find((t) => t.tokenHash === tokenHash);
    return found ? { ...found } : null;
  }

  async rotate(usedId: string, successor: RefreshToken, at: Date): Promise<boolean> {
    const used = this.tokens.get(usedId);
    if (!used || used.revokedAt) return false;
    // Revoked before the first await, so that a concurrent rotation sees it.
    this.tokens.set(usedId, { ...used, revokedAt: at, replacedBy: successor.id });
    try {
      await this.insert(successor);
    } catch (error) {
      this.tokens.set(usedId, used);
      throw error;
    }
    return true;
  }

  async revokeFamily(familyId: string, at: Date): Promise<number> {
    return this.revoke((t) => t.familyId === familyId, at);
  }

  async revokeAllOfUser(userId: string, at: Date): Promise<number> {
    return this.revoke((t) => t.userId === userId, at);
  }

  async deleteExpired(before: Date): Promise<number> {
    const expired = this.find((t) => t.expiresAt < before);
    for (const token of expired) this.tokens.delete(token.id);
    return expired.length;
  }

  async endedSessionsSince(since: Date): Promise<{ sessionId: string; userId: string }[]> {
    const ended = this.find((t) => t.revokedAt !== null && t.revokedAt >= since && t.replacedBy === null);
    return [...new Map(ended.map((t) => [t.familyId, t.userId]))].map(([sessionId, userId]) => ({ sessionId, userId }));
  }

  private find(match: (token: RefreshToken) => boolean): RefreshToken[] {
    return [...this.tokens.values()].filter(match);
  }

  private revoke(match: (token: RefreshToken) => boolean, at: Date): number {
    const active = this.find((t) => match(t) && !t.revokedAt);
    for (const token of active) this.tokens.set(token.id, { ...token, revokedAt: at });
    return active.length;
  }
}
