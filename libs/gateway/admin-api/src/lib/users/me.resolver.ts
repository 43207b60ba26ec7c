import { Query, Resolver } from '@nestjs/graphql';
import { Authorize, CurrentUser, type AuthenticatedUser } from '@synapse/gateway/auth';
import { Action } from '@synapse/rbac';
import { User } from './models/user.model';
import { UsersService } from './users.service';

@Resolver(() => User)
export class MeResolver {
  constructor(private readonly users: UsersService) {}

  @Query(() => User, { description: 'The signed-in account.' })
  @Authorize(Action.Read, 'User', { record: (user) => ({ id: user.id }) })
  me(@CurrentUser() user: AuthenticatedUser): Promise<User> {
    return this.users.current(user);
  }
}
