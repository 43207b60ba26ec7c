import type { Channel } from './models/channel';
import type { GatewayKey } from './models/gateway-key';
import type { RefreshToken } from './models/refresh-token';
import type { RequestLogEntry } from './models/request-log';
import type { Route } from './models/route';
import type { TargetEvent, TargetOverride } from './models/target-event';
import type { AuditEvent, AuditOutcome } from './models/audit-event';
import type { RequestLogPage, RequestLogSearch } from './log-repositories';
import type { StoredRole } from './models/role';
import type { Team, TeamMembership } from './models/team';
import type { User } from './models/user';

/*
 * Storage contracts. They are abstract classes so that NestJS can inject them by type; the
 * TypeORM classes implement them for SQLite and PostgreSQL, and the in-memory test doubles
 * (`@synapse/gateway/persistence/testing`) pass the same contract suite (`lib/testing/contract`).
 */

export abstract class ChannelRepository {
  abstract findAll(): Promise<Channel[]>;
  abstract findByName(name: string): Promise<Channel | null>;
  abstract findById(id: string): Promise<Channel | null>;
  abstract save(channel: Channel): Promise<Channel>;
  /** Removes the channel with that id; false when there was none. */
  abstract delete(id: string): Promise<boolean>;
  /**
   * Sets the key hint of a channel only while its stored key is still `sealed`, so that filling
   * hints never overwrites a key changed meanwhile; false when it was not set.
   */
  abstract setApiKeyHint(id: string, sealed: string, hint: string | null): Promise<boolean>;
}

export abstract class GatewayKeyRepository {
  abstract findAll(): Promise<GatewayKey[]>;
  abstract findByName(name: string): Promise<GatewayKey | null>;
  abstract findById(id: string): Promise<GatewayKey | null>;
  abstract save(key: GatewayKey): Promise<GatewayKey>;
}

export abstract class RouteRepository {
  abstract findAll(): Promise<Route[]>;
  abstract findByName(name: string): Promise<Route | null>;
  abstract save(route: Route): Promise<Route>;
  /** Removes the route of that name; false when there was none. */
  abstract delete(name: string): Promise<boolean>;
}

export abstract class TargetEventRepository {
  abstract insert(event: TargetEvent): Promise<void>;
  /** Newest first. */
  abstract recent(limit: number): Promise<TargetEvent[]>;
}

export abstract class TargetOverrideRepository {
  abstract findAll(): Promise<TargetOverride[]>;
  abstract save(override: TargetOverride): Promise<TargetOverride>;
}

export abstract class UserRepository {
  /** All users, or those of one role. */
  abstract count(filter?: { role?: User['role'] }): Promise<number>;
  abstract findById(id: string): Promise<User | null>;
  abstract findByEmail(email: string): Promise<User | null>;
  /** The account that a single sign-on identity is linked to. */
  abstract findBySsoIdentity(issuer: string, subject: string): Promise<User | null>;
  /** Ordered by email. */
  abstract findAll(): Promise<User[]>;
  abstract save(user: User): Promise<User>;
  /** Users with limits, for the catalog that enforces them. */
  abstract findWithLimits(): Promise<User[]>;
  /** Removes the account; false when there was none. */
  abstract delete(id: string): Promise<boolean>;
  /**
   * Saves the account, or deletes it (`user` null, `id` given), only if at least one owner account
   * remains: checked and written in one transaction, with the owner rows locked on PostgreSQL, so
   * that two replicas demoting each other's owners cannot leave none. False when it would.
   */
  abstract changeKeepingAnOwner(change: { save: User } | { delete: string }): Promise<boolean>;
}

export abstract class TeamRepository {
  /** Ordered by name. */
  abstract findAll(): Promise<Team[]>;
  abstract findById(id: string): Promise<Team | null>;
  abstract findByName(name: string): Promise<Team | null>;
  abstract save(team: Team): Promise<Team>;
  /** Removes the team and its memberships together; false when there was none. */
  abstract delete(id: string): Promise<boolean>;
  /** Every membership (small: read once into memory, like keys). */
  abstract memberships(): Promise<TeamMembership[]>;
  /** Adds the membership; false when the user was already a member. */
  abstract addMember(membership: TeamMembership): Promise<boolean>;
  /** Removes the membership; false when there was none. */
  abstract removeMember(teamId: string, userId: string): Promise<boolean>;
  /** Removes a user from every team (the user is being deleted); returns how many. */
  abstract removeUserEverywhere(userId: string): Promise<number>;
}

export abstract class RoleRepository {
  /** The custom roles, ordered by name. */
  abstract findAll(): Promise<StoredRole[]>;
  abstract findByName(name: string): Promise<StoredRole | null>;
  abstract save(role: StoredRole): Promise<StoredRole>;
  /** Removes the role; false when there was none. */
  abstract delete(name: string): Promise<boolean>;
}

export interface AuditQuery {
  actorId?: string;
  /** Exact action, or a prefix ending in `*` (`Mutation.*`). */
  action?: string;
  outcome?: AuditOutcome;
  subject?: string;
  since?: Date;
  until?: Date;
  limit?: number;
}

export abstract class AuditEventRepository {
  /** Writes a batch in one transaction. */
  abstract insertMany(events: readonly AuditEvent[]): Promise<void>;
  /** Newest first. */
  abstract find(query?: AuditQuery): Promise<AuditEvent[]>;
  /** Deletes at most `limit` of the events recorded before `before`, oldest first; returns how many. */
  abstract purgeOlderThan(before: Date, limit: number): Promise<number>;
}

export abstract class RefreshTokenRepository {
  abstract insert(token: RefreshToken): Promise<void>;
  abstract findByHash(tokenHash: string): Promise<RefreshToken | null>;
  /**
   * Revokes `usedId` as replaced by `successor` and stores the successor, only while `usedId` is
   * still active. False, with no successor left behind, when it was already revoked: of two
   * concurrent refreshes with the same token, exactly one wins.
   */
  abstract rotate(usedId: string, successor: RefreshToken, at: Date): Promise<boolean>;
  /** Revokes every still-active token of the family; returns how many. */
  abstract revokeFamily(familyId: string, at: Date): Promise<number>;
  /** Revokes every still-active token of the user; returns how many. */
  abstract revokeAllOfUser(userId: string, at: Date): Promise<number>;
  /** Deletes the tokens that expired before `before`; returns how many. */
  abstract deleteExpired(before: Date): Promise<number>;
  /**
   * The sessions (families) ended at or after `since` by sign-out, reuse, a password change or an
   * expired session, not by rotation: the tokens revoked then without a successor.
   */
  abstract endedSessionsSince(since: Date): Promise<{ sessionId: string; userId: string }[]>;
}

export interface RequestLogQuery {
  keyId?: string;
  since?: Date;
  limit?: number;
}

/** What the logged calls of one key or user cost since a moment. */
export interface ScopeSpend {
  scope: 'key' | 'user';
  id: string;
  costUsd: number;
}

/**
 * The store answered but refused a request-log batch for what is in it (a value the table cannot
 * hold: a constraint or a data error), not for being unreachable. Sending it again cannot help.
 */
export class RequestLogRowRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestLogRowRefused';
  }
}

export abstract class RequestLogRepository {
  /**
   * Writes a batch in one transaction: all of it or none of it. Entries already written (same id)
   * are skipped, so that a batch whose answer was lost with the connection can be sent again.
   * Rejects with RequestLogRowRefused when an entry is one the table cannot take.
   */
  abstract insertMany(entries: readonly RequestLogEntry[]): Promise<void>;
  abstract findById(id: string): Promise<RequestLogEntry | null>;
  /** Newest first. */
  abstract find(query?: RequestLogQuery): Promise<RequestLogEntry[]>;
  abstract count(): Promise<number>;
  /** The cost of the calls logged since `since`, summed per key and per user (for budgets after a restart). */
  abstract spendSince(since: Date): Promise<ScopeSpend[]>;
  /** One page of the rows that match, newest first by (createdAt, id), after the cursor. */
  abstract search(search: RequestLogSearch): Promise<RequestLogPage>;
  /** Deletes at most `limit` of the rows created before `before`, oldest first; returns how many. */
  abstract purgeOlderThan(before: Date, limit: number): Promise<number>;
  /** Releases what the writer holds (a writer thread on SQLite); called at shutdown. */
  async close(): Promise<void> {
    // nothing to release by default
  }
}
