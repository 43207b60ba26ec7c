import { Between, LessThanOrEqual, Like, MoreThanOrEqual, type FindOptionsWhere, type Repository } from 'typeorm';
import type { AuditEvent } from '../models/audit-event';
import type { StoredRole } from '../models/role';
import type { Team, TeamMembership } from '../models/team';
import { AuditEventRepository, type AuditQuery, type RoleRepository, type TeamRepository } from '../repositories';
import type { Store } from './data-source';
import { purgeOlderThan } from './purge-older-than';
import { TypeOrmRepository } from './typeorm-repository';

export class TypeOrmTeamRepository extends TypeOrmRepository<Team, 'id'> implements TeamRepository {
  private readonly members: Repository<TeamMembership>;
  constructor(store: Store) {
    super(store, store.entities.team, { id: 'id', order: { name: 'ASC' } });
    this.members = store.dataSource.getRepository(store.entities.teamMembership);
  }
  findByName(name: string) {
    return this.findOneBy({ name });
  }
  /** Removes the team and its memberships together. */
  override delete(id: string): Promise<boolean> {
    return this.store.transaction(async (manager) => {
      await manager.delete(this.store.entities.teamMembership, { teamId: id });
      const result = await manager.delete(this.store.entities.team, { id });
      return (result.affected ?? 0) > 0;
    });
  }
  memberships() {
    return this.members.find({ order: { teamId: 'ASC', userId: 'ASC' } });
  }
  async addMember(membership: TeamMembership): Promise<boolean> {
    if (await this.members.existsBy({ teamId: membership.teamId, userId: membership.userId })) return false;
    try {
      await this.members.insert(membership);
      return true;
    } catch (error) {
      // A concurrent add of the same membership won the primary key.
      if (await this.members.existsBy({ teamId: membership.teamId, userId: membership.userId })) return false;
      throw error;
    }
  }
  async removeMember(teamId: string, userId: string): Promise<boolean> {
    const result = await this.members.delete({ teamId, userId });
    return (result.affected ?? 0) > 0;
  }
  async removeUserEverywhere(userId: string): Promise<number> {
    const result = await this.members.delete({ userId });
    return result.affected ?? 0;
  }
}

/** A role's name is its primary key. */
export class TypeOrmRoleRepository extends TypeOrmRepository<StoredRole, 'name'> implements RoleRepository {
  constructor(store: Store) {
    super(store, store.entities.role, { id: 'name', order: { name: 'ASC' } });
  }
  findByName(name: string) {
    return this.findById(name);
  }
}

const DEFAULT_AUDIT_PAGE = 100;
const MAX_AUDIT_PAGE = 1000;

export class TypeOrmAuditEventRepository extends AuditEventRepository {
  private readonly repo: Repository<AuditEvent>;
  constructor(private readonly store: Store) {
    super();
    this.repo = store.dataSource.getRepository(store.entities.auditEvent);
  }
  async insertMany(events: readonly AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.store.transaction((manager) => manager.insert(this.repo.target, events as AuditEvent[] as never));
  }
  find(query: AuditQuery = {}): Promise<AuditEvent[]> {
    const where: FindOptionsWhere<AuditEvent> = {};
    if (query.actorId) where.actorId = query.actorId;
    if (query.outcome) where.outcome = query.outcome;
    if (query.subject) where.subject = query.subject;
    if (query.action) {
      where.action = query.action.endsWith('*')
        ? Like(`${withoutWildcards(query.action.slice(0, -1))}%`)
        : query.action;
    }
    if (query.since && query.until) where.at = Between(query.since, query.until);
    else if (query.since) where.at = MoreThanOrEqual(query.since);
    else if (query.until) where.at = LessThanOrEqual(query.until);
    const take = Math.min(Math.max(query.limit ?? DEFAULT_AUDIT_PAGE, 1), MAX_AUDIT_PAGE);
    return this.repo.find({ where, order: { at: 'DESC', id: 'DESC' }, take });
  }
  purgeOlderThan(before: Date, limit: number): Promise<number> {
    return purgeOlderThan(this.store, { table: 'audit_events', id: 'id', time: 'at' }, before, limit);
  }
}

/** Action names are letters and dots: a `%` or `_` in a prefix is dropped rather than matched as a wildcard. */
function withoutWildcards(text: string): string {
  return text.replace(/[\\%_]/g, '');
}
