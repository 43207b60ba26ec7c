import { Injectable, Logger } from '@nestjs/common';
import { denyAll, type AppAbility } from '@synapse/rbac';
import { AccessDirectory } from '../access/access-directory';
import type { AuthenticatedUser } from '../jwt/access-token';

/** A request that carries its user (set by authentication) and, once checked, their ability. */
export interface AuthorizedRequest {
  user?: AuthenticatedUser;
  ability?: AppAbility;
}

/**
 * The ability of the signed-in user, once per request (a GraphQL document with several root fields is
 * checked field by field against the same one, and resolvers read it with `@CurrentAbility()`), and
 * cached per user until users, teams or roles change. Built from the role the account holds now,
 * not the one in the access token.
 */
@Injectable()
export class AbilityFactory {
  private readonly logger = new Logger(AbilityFactory.name);

  constructor(private readonly directory: AccessDirectory) {}

  /** Null when the account no longer exists. Also brings `request.user.role` up to date. */
  async forRequest(request: AuthorizedRequest, user: AuthenticatedUser): Promise<AppAbility | null> {
    if (request.ability) return request.ability;
    let snapshot = await this.directory.current();
    if (!snapshot.user(user.id)) snapshot = await this.directory.refreshed();
    const current = snapshot.user(user.id);
    if (!current) return null;
    user.role = current.role;
    try {
      request.ability = snapshot.abilityFor(user.id) ?? undefined;
    } catch (error) {
      // Custom roles are checked when saved; a role that still fails to build allows nothing.
      this.logger.error(`ability of user ${user.id} (role ${user.role}): ${(error as Error).message}`);
      request.ability = denyAll();
    }
    return request.ability ?? null;
  }
}
