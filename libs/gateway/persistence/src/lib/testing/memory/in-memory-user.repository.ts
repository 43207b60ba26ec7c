import type { User } from '../../models/user';
import { UserRepository } from '../../repositories';
import { refuseDuplicate, storedCopy } from './stored-copy';

/**
 * Users in memory, for tests of code that reads and writes accounts; emails stored in lower case
 * and unique, absent limits read back as null, as in SQL.
 */
export class InMemoryUserRepository extends UserRepository {
  /** By id. */
  readonly users = new Map<string, User>();

  async count(filter: { role?: User['role'] } = {}): Promise<number> {
    return this.matching((user) => !filter.role || user.role === filter.role).length;
  }

  async findById(id: string): Promise<User | null> {
    const user = this.users.get(id);
    return user ? storedCopy(user) : null;
  }

  async findByEmail(email: string): Promise<User | null> {
    const [user] = this.matching((u) => u.email === email.toLowerCase());
    return user ?? null;
  }

  async findBySsoIdentity(issuer: string, subject: string): Promise<User | null> {
    const [user] = this.matching((u) => u.ssoIssuer === issuer && u.ssoSubject === subject);
    return user ?? null;
  }

  async findAll(): Promise<User[]> {
    return this.matching(() => true).sort((a, b) => a.email.localeCompare(b.email));
  }

  async delete(id: string): Promise<boolean> {
    return this.users.delete(id);
  }

  async changeKeepingAnOwner(change: { save: User } | { delete: string }): Promise<boolean> {
    const changedId = 'save' in change ? change.save.id : change.delete;
    const others = this.matching((u) => u.role === 'owner' && u.id !== changedId).length;
    if (others + ('save' in change && change.save.role === 'owner' ? 1 : 0) === 0) return false;
    if ('save' in change) await this.save(change.save);
    else await this.delete(change.delete);
    return true;
  }

  async findWithLimits(): Promise<User[]> {
    return this.matching((user) => user.limits != null);
  }

  async save(user: User): Promise<User> {
    const stored: User = {
      ...user,
      email: user.email.toLowerCase(),
      limits: user.limits ?? null,
      ssoIssuer: user.ssoIssuer ?? null,
      ssoSubject: user.ssoSubject ?? null,
    };
    refuseDuplicate(this.users.values(), stored, 'email', 'users');
    // One account per single sign-on identity, like the SQL stores' unique index (nulls never clash).
    const identity = (u: User) => (u.ssoIssuer && u.ssoSubject ? `${u.ssoIssuer} ${u.ssoSubject}` : null);
    for (const other of this.users.values()) {
      if (other.id !== stored.id && identity(stored) !== null && identity(other) === identity(stored)) {
        throw new Error('UNIQUE constraint failed: users.sso_issuer, users.sso_subject');
      }
    }
    this.users.set(stored.id, storedCopy(stored));
    return stored;
  }

  /** Copies of the stored users that match. */
  private matching(match: (user: User) => boolean): User[] {
    return [...this.users.values()].filter(match).map(storedCopy);
  }
}
