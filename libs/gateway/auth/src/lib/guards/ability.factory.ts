import { Injectable } from '@nestjs/common';
import { defineAbilityFor, type AppAbility } from '@synapse/rbac';
import type { AuthenticatedUser } from '../jwt/access-token';

/** A request that carries its user (set by authentication) and, once checked, their ability. */
export interface AuthorizedRequest {
  user?: AuthenticatedUser;
  ability?: AppAbility;
}

/**
 * Builds a user's ability from their role, once per request: a GraphQL document with several root
 * fields is checked field by field against the same ability, which resolvers and services then read
 * with `@CurrentAbility()` for checks on records.
 */
@Injectable()
export class AbilityFactory {
  forRequest(request: AuthorizedRequest, user: AuthenticatedUser): AppAbility {
    request.ability ??= this.forUser(user);
    return request.ability;
  }

  // Custom roles, once stored, are passed here as the second argument.
  forUser(user: AuthenticatedUser): AppAbility {
    return defineAbilityFor({ id: user.id, role: user.role });
  }
}
