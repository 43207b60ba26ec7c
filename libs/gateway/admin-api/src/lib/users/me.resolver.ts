import { Query, Resolver } from '@nestjs/graphql';
import { ANY_ROLE, CurrentUser, Roles, type AuthenticatedUser } from '@synapse/gateway/auth';
import { User } from './models/user.model';
import { UsersService } from './users.service';

@Resolver(() => User)
export class MeResolver {
  constructor(private readonly users: UsersService) {}

  @Query(() => User, { description: 'The signed-in account.' })
  @Roles(...ANY_ROLE)
  me(@CurrentUser() user: AuthenticatedUser): Promise<User> {
    return this.users.current(user);
  }
}
