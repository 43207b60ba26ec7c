import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Roles } from '@synapse/gateway/auth';
import { GqlValidationPipe } from '../graphql/gql-validation.pipe';
import { DeleteRouteArgs } from './dto/delete-route.args';
import { RouteInput } from './dto/route.input';
import { Route } from './models/route.model';
import { RoutesService } from './routes.service';

@Resolver(() => Route)
export class RoutesResolver {
  constructor(private readonly service: RoutesService) {}

  @Query(() => [Route], { description: 'The configured routes (config file and admin API), by name.' })
  @Roles('owner', 'admin', 'operator', 'auditor')
  routes(): Promise<Route[]> {
    return this.service.list();
  }

  @Mutation(() => Route, {
    description:
      'Creates a route or replaces the one of that name, checked like the config file; every replica reloads.',
  })
  @Roles('owner', 'admin', 'operator')
  upsertRoute(@Args('input') input: RouteInput): Promise<Route> {
    return this.service.upsert(input);
  }

  @Mutation(() => Boolean, {
    description: 'Deletes a route that no other route uses as a fallback; every replica reloads.',
  })
  @Roles('owner', 'admin', 'operator')
  deleteRoute(@Args(GqlValidationPipe) { name }: DeleteRouteArgs): Promise<boolean> {
    return this.service.delete(name);
  }
}
