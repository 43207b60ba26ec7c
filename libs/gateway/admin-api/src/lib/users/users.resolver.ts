import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authorize, CurrentAbility, CurrentUser, type AuthenticatedUser } from '@synapse/gateway/auth';
import { Action, type AppAbility } from '@synapse/rbac';
import { Spend, SPEND_DESCRIPTION } from '../spend/models/spend.model';
import { SpendService } from '../spend/spend.service';
import { CreateUserInput } from './dto/create-user.input';
import { UpdateUserInput } from './dto/update-user.input';
import { User } from './models/user.model';
import { UsersService } from './users.service';

@Resolver(() => User)
export class UsersResolver {
  constructor(
    private readonly service: UsersService,
    private readonly spending: SpendService,
  ) {}

  @Query(() => User, { description: 'The signed-in account.' })
  @Authorize(Action.Read, 'User', { record: (user) => ({ id: user.id }) })
  me(@CurrentUser() user: AuthenticatedUser): Promise<User> {
    return this.service.current(user);
  }

  @Query(() => [User], { description: 'The accounts the caller may see, by email.' })
  @Authorize(Action.Read, 'User')
  users(@CurrentAbility() ability: AppAbility): Promise<User[]> {
    return this.service.list(ability);
  }

  @Mutation(() => User, { description: 'Creates an account; you may only give a role you hold at least.' })
  @Authorize(Action.Create, 'User')
  createUser(
    @Args('input') input: CreateUserInput,
    @CurrentUser() user: AuthenticatedUser,
    @CurrentAbility() ability: AppAbility,
  ): Promise<User> {
    return this.service.create(input, user, ability);
  }

  @Mutation(() => User, {
    description:
      "Changes an account's name, role or limits; a new role counts at the next request, new limits at once.",
  })
  @Authorize(Action.Update, 'User')
  updateUser(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateUserInput,
    @CurrentUser() user: AuthenticatedUser,
    @CurrentAbility() ability: AppAbility,
  ): Promise<User> {
    return this.service.update(id, input, user, ability);
  }

  @Mutation(() => User, {
    description: 'Deletes an account: its sessions end, its gateway keys are revoked, it leaves its teams.',
  })
  @Authorize(Action.Delete, 'User')
  deleteUser(
    @Args('id', { type: () => ID }) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @CurrentAbility() ability: AppAbility,
  ): Promise<User> {
    return this.service.delete(id, user, ability);
  }

  @ResolveField(() => Spend, { nullable: true, description: SPEND_DESCRIPTION })
  spend(@Parent() user: User): Promise<Spend | null> {
    return this.spending.of('user', user.id, user.limits);
  }
}
