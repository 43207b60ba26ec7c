import { IsNull, LessThan, MoreThanOrEqual, type Repository } from 'typeorm';
import type { RefreshToken } from '../models/refresh-token';
import { RefreshTokenRepository } from '../repositories';
import type { Store } from './data-source';

export class TypeOrmRefreshTokenRepository extends RefreshTokenRepository {
  private readonly repo: Repository<RefreshToken>;

  constructor(store: Store) {
    super();
    this.repo = store.dataSource.getRepository(store.entities.refreshToken);
  }

  async insert(token: RefreshToken): Promise<void> {
    await this.repo.insert(token);
  }

  findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.repo.findOneBy({ tokenHash });
  }

  /**
   * No transaction: SQLite shares one connection, where concurrent TypeORM transactions nest
   * instead of isolating. The conditional UPDATE alone decides the winner on both stores; the
   * successor is written first (unusable, since nobody holds it yet) and removed again on a loss.
   */
  async rotate(usedId: string, successor: RefreshToken, at: Date): Promise<boolean> {
    await this.repo.insert(successor);
    const result = await this.repo.update(
      { id: usedId, revokedAt: IsNull() },
      { revokedAt: at, replacedBy: successor.id },
    );
    if ((result.affected ?? 0) > 0) return true;
    await this.repo.delete({ id: successor.id });
    return false;
  }

  async revokeFamily(familyId: string, at: Date): Promise<number> {
    const result = await this.repo.update({ familyId, revokedAt: IsNull() }, { revokedAt: at });
    return result.affected ?? 0;
  }

  async revokeAllOfUser(userId: string, at: Date): Promise<number> {
    const result = await this.repo.update({ userId, revokedAt: IsNull() }, { revokedAt: at });
    return result.affected ?? 0;
  }

  async deleteExpired(before: Date): Promise<number> {
    const result = await this.repo.delete({ expiresAt: LessThan(before) });
    return result.affected ?? 0;
  }

  async endedSessionsSince(since: Date): Promise<{ sessionId: string; userId: string }[]> {
    const rows = await this.repo.find({
      select: { familyId: true, userId: true },
      where: { revokedAt: MoreThanOrEqual(since), replacedBy: IsNull() },
    });
    const sessions = new Map(rows.map((row) => [row.familyId, row.userId]));
    return [...sessions].map(([sessionId, userId]) => ({ sessionId, userId }));
  }
}
