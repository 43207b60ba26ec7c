import { Injectable } from '@nestjs/common';
import { GqlErrors, type AuthenticatedUser } from '@synapse/gateway/auth';
import { UserRepository } from '@synapse/gateway/persistence';
import type { User } from './models/user.model';

@Injectable()
export class UsersService {
  constructor(private readonly users: UserRepository) {}

  /** The signed-in account as stored now; a token whose account is gone no longer counts. */
  async current(user: AuthenticatedUser): Promise<User> {
    const stored = await this.users.findByEmail(user.email);
    if (!stored || stored.id !== user.id) throw GqlErrors.unauthenticated('Your account no longer exists.');
    // Only the public fields: the stored row also holds the password hash.
    return { id: stored.id, email: stored.email, name: stored.name, role: stored.role };
  }
}
