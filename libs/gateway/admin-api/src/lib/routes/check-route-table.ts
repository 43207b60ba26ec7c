import { GqlErrors } from '@synapse/gateway/auth';
import type { Route as StoredRoute } from '@synapse/gateway/persistence';
import { toRouteDefinition } from '@synapse/gateway/proxy';
import { RouteConfigError, RouteTable } from '@synapse/routing';

/**
 * Compiles the routes as they would be stored, so that a change the catalog could not load
 * (a fallback to no route, a fallback cycle, a name or alias used twice) is refused before it is
 * saved. Implicit routes only fill gaps and cannot make a table invalid, so they are left out.
 */
export function checkRouteTable(routes: readonly StoredRoute[]): void {
  try {
    RouteTable.compile(routes.map(toRouteDefinition));
  } catch (error) {
    if (error instanceof RouteConfigError) throw GqlErrors.badUserInput(error.message);
    throw error;
  }
}
