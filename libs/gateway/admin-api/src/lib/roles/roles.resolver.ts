import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize, CurrentUser, SignedIn, type AuthenticatedUser } from '@synapse/gateway/auth';
import { Action } from '@synapse/rbac';
import { CreateRoleInput } from './dto/create-role.input';
import { UpdateRoleInput } from './dto/update-role.input';
import { Role } from './models/role.model';
import { RolesService } from './roles.service';

@Resolver(() => Role)
export class RolesResolver {
  constructor(private readonly service: RolesService) {}

  @Query(() => [Role], { description: 'The built-in roles, then the custom ones by name.' })
  @Authorize(Action.Read, 'Role')
  roles(): Promise<Role[]> {
    return this.service.list();
  }

  @Query(() => Role, {
    description:
      "The signed-in account's role with its rules (a custom role's too), so that a console can show only what it may do.",
  })
  // A custom role may grant no `Read User`, not even its own account: its holder still needs its rules.
  @SignedIn('Role')
  myRole(@CurrentUser() user: AuthenticatedUser): Promise<Role> {
    return this.service.ofAccount(user);
  }

  @Mutation(() => Role, { description: 'Creates a custom role; holders of it may use it from their next request.' })
  @Authorize(Action.Create, 'Role')
  createRole(@Args('input') input: CreateRoleInput, @CurrentUser() user: AuthenticatedUser): Promise<Role> {
    return this.service.create(input, user);
  }

  @Mutation(() => Role, { description: "Changes a custom role's description or rules, for its holders at once." })
  @Authorize(Action.Update, 'Role')
  updateRole(
    @Args('name') name: string,
    @Args('input') input: UpdateRoleInput,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<Role> {
    return this.service.update(name, input, user);
  }

  @Mutation(() => Role, { description: 'Deletes a custom role that nobody holds.' })
  @Authorize(Action.Delete, 'Role')
  deleteRole(@Args('name') name: string, @CurrentUser() user: AuthenticatedUser): Promise<Role> {
    return this.service.delete(name, user);
  }
}
