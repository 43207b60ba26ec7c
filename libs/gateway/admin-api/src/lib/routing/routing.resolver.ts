import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize } from '@synapse/gateway/auth';
import { Action } from '@synapse/rbac';
import { GqlValidationPipe } from '../graphql/gql-validation.pipe';
import { RoutingEventsArgs } from './dto/routing-events.args';
import { SetRoutingTargetDisabledArgs } from './dto/set-routing-target-disabled.args';
import { RoutingEvent } from './models/routing-event.model';
import { RoutingTarget } from './models/routing-target.model';
import { RoutingTargetsService } from './routing-targets.service';

@Resolver(() => RoutingTarget)
export class RoutingResolver {
  constructor(private readonly routing: RoutingTargetsService) {}

  @Query(() => [RoutingTarget], { description: 'Every routing target and its current state.' })
  @Authorize(Action.Read, 'RoutingTarget')
  routingTargets(): RoutingTarget[] {
    return this.routing.targets();
  }

  @Query(() => [RoutingEvent], { description: 'Recent state changes of routing targets, newest first.' })
  @Authorize(Action.Read, 'RoutingTarget')
  routingEvents(@Args(GqlValidationPipe) { limit }: RoutingEventsArgs): Promise<RoutingEvent[]> {
    return this.routing.events(limit);
  }

  @Mutation(() => RoutingTarget, { description: 'Takes a target out of rotation (or back in) on every replica.' })
  @Authorize(Action.Update, 'RoutingTarget')
  setRoutingTargetDisabled(
    @Args(GqlValidationPipe) { id, disabled }: SetRoutingTargetDisabledArgs,
  ): Promise<RoutingTarget> {
    return this.routing.setDisabled(id, disabled);
  }
}
