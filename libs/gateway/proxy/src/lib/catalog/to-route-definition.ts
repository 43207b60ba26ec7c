import type { Route } from '@synapse/gateway/persistence';
import type { RouteDefinition } from '@synapse/routing';

/** A stored route as the routing table takes it. */
export function toRouteDefinition(route: Route): RouteDefinition {
  return {
    name: route.name,
    strategy: route.strategy,
    targets: route.targets,
    fallbacks: route.fallbacks,
    aliases: route.aliases,
    ...(route.retry && { retry: route.retry }),
  };
}
