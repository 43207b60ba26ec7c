import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authorize, CurrentAbility } from '@synapse/gateway/auth';
import { Action, type AppAbility } from '@synapse/rbac';
import { Spend, SPEND_DESCRIPTION } from '../spend/models/spend.model';
import { SpendService } from '../spend/spend.service';
import { CreateTeamInput } from './dto/create-team.input';
import { UpdateTeamInput } from './dto/update-team.input';
import { Team } from './models/team.model';
import { TeamsService } from './teams.service';

@Resolver(() => Team)
export class TeamsResolver {
  constructor(
    private readonly service: TeamsService,
    private readonly spending: SpendService,
  ) {}

  @Query(() => [Team], { description: 'The teams the caller may see (members: their own), by name.' })
  @Authorize(Action.Read, 'Team')
  teams(@CurrentAbility() ability: AppAbility): Promise<Team[]> {
    return this.service.list(ability);
  }

  @Mutation(() => Team)
  @Authorize(Action.Create, 'Team')
  createTeam(@Args('input') input: CreateTeamInput): Promise<Team> {
    return this.service.create(input);
  }

  @Mutation(() => Team)
  @Authorize(Action.Update, 'Team')
  updateTeam(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateTeamInput,
    @CurrentAbility() ability: AppAbility,
  ): Promise<Team> {
    return this.service.update(id, input, ability);
  }

  @Mutation(() => Team, { description: 'Deletes a team that owns no active gateway key.' })
  @Authorize(Action.Delete, 'Team')
  deleteTeam(@Args('id', { type: () => ID }) id: string, @CurrentAbility() ability: AppAbility): Promise<Team> {
    return this.service.delete(id, ability);
  }

  @Mutation(() => Team)
  @Authorize(Action.Update, 'Team')
  addTeamMember(
    @Args('teamId', { type: () => ID }) teamId: string,
    @Args('userId', { type: () => ID }) userId: string,
    @CurrentAbility() ability: AppAbility,
  ): Promise<Team> {
    return this.service.setMember(teamId, userId, true, ability);
  }

  @Mutation(() => Team)
  @Authorize(Action.Update, 'Team')
  removeTeamMember(
    @Args('teamId', { type: () => ID }) teamId: string,
    @Args('userId', { type: () => ID }) userId: string,
    @CurrentAbility() ability: AppAbility,
  ): Promise<Team> {
    return this.service.setMember(teamId, userId, false, ability);
  }

  @ResolveField(() => Spend, { nullable: true, description: SPEND_DESCRIPTION })
  spend(@Parent() team: Team): Promise<Spend | null> {
    return this.spending.of('team', team.id, team.limits);
  }
}
