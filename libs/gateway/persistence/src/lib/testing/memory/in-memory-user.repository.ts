import type { User } from '../../models/user';
import { UserRepository } from '../../repositories';

/** Users in memory, for tests of code that reads and writes accounts. */

export class InMemoryUserRepository extends UserRepository {
  readonly users = new Map<string, User>();

  async count(filter: { role?: User['role'] } = {}): Promise<number> {
    return [...this.users.values()].filter((user) => !filter.role || user.role === filter.role).length;
  }

  async findById(id: string): Promise<User | null> {
    return [...this.users.values()].find((user) => user.id === id) ?? null;
  }

  async findByEmail(email: string): Promise<User | null> {
    return this.users.get(email.toLowerCase()) ?? null;
  }

  async findAll(): Promise<User[]> {
    return [...this.users.values()].sort((a, b) => a.email.localeCompare(b.email));
  }

  async delete(id: string): Promise<boolean> {
    const user = await this.findById(id);
    return user ? this.users.delete(user.email.toLowerCase()) : false;
  }

  async changeKeepingAnOwner(change: { save: User } | { delete: string }): Promise<boolean> {
    const changedId = 'save' in change ? change.save.id : change.delete;
    const others = [...this.users.values()].filter((u) => u.role === 'owner' && u.id !== changedId).length;
    if (others + ('save' in change && change.save.role === 'owner' ? 1 : 0) === 0) return false;
    if ('save' in change) await this.save(change.save);
    else await this.delete(change.delete);
    return true;
  }

  async findWithLimits(): Promise<User[]> {
    return [...this.users.values()].filter((user) => user.limits);
  }

  async save(user: User): Promise<User> {
    this.users.set(user.email.toLowerCase(), user);
    return user;
  }
}
