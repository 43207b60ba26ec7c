import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize } from '@synapse/gateway/auth';
import { Action } from '@synapse/rbac';
import { GqlValidationPipe } from '../graphql/gql-validation.pipe';
import { DeleteRouteArgs } from './dto/delete-route.args';
import { RouteInput } from './dto/route.input';
import { Route } from './models/route.model';
import { RoutesService } from './routes.service';

@Resolver(() => Route)
export class RoutesResolver {
  constructor(private readonly service: RoutesService) {}

  @Query(() => [Route], { description: 'The configured routes (config file and admin API), by name.' })
  @Authorize(Action.Read, 'Route')
  routes(): Promise<Route[]> {
    return this.service.list();
  }

  @Mutation(() => Route, {
    description:
      'Creates a route or replaces the one of that name, checked like the config file; every replica reloads.',
  })
  @Authorize([Action.Create, Action.Update], 'Route')
  upsertRoute(@Args('input') input: RouteInput): Promise<Route> {
    return this.service.upsert(input);
  }

  @Mutation(() => Boolean, {
    description: 'Deletes a route that no other route uses as a fallback; every replica reloads.',
  })
  @Authorize(Action.Delete, 'Route')
  deleteRoute(@Args(GqlValidationPipe) { name }: DeleteRouteArgs): Promise<boolean> {
    return this.service.delete(name);
  }
}
