import {
  BUILT_IN_ROLE_DEFINITIONS,
  defineAbilityFor,
  isBuiltInRole,
  type AppAbility,
  type RoleDefinition,
} from '@synapse/rbac';

/** What the directory knows of one account. */
export interface DirectoryUser {
  readonly id: string;
  readonly email: string;
  readonly role: string;
}

/**
 * Who holds which role and belongs to which teams, and the custom roles, as they were when read;
 * replaced whole when any of it changes. Abilities are built once per user per snapshot.
 */
export class AccessSnapshot {
  private readonly abilities = new Map<string, AppAbility>();

  constructor(
    private readonly users: ReadonlyMap<string, DirectoryUser>,
    private readonly teamIdsByUser: ReadonlyMap<string, readonly string[]>,
    private readonly customRoles: ReadonlyMap<string, RoleDefinition>,
  ) {}

  user(id: string): DirectoryUser | undefined {
    return this.users.get(id);
  }

  teamIdsOf(userId: string): readonly string[] {
    return this.teamIdsByUser.get(userId) ?? [];
  }

  /** The rules of a role, built-in or custom; undefined for an unknown name. */
  role(name: string): RoleDefinition | undefined {
    return isBuiltInRole(name) ? BUILT_IN_ROLE_DEFINITIONS[name] : this.customRoles.get(name);
  }

  /** The user's ability under their current role and teams; null when the account is gone. */
  abilityFor(userId: string): AppAbility | null {
    const cached = this.abilities.get(userId);
    if (cached) return cached;
    const user = this.users.get(userId);
    if (!user) return null;
    const ability = defineAbilityFor({ id: user.id, role: user.role, teamIds: this.teamIdsOf(user.id) }, [
      ...this.customRoles.values(),
    ]);
    this.abilities.set(userId, ability);
    return ability;
  }
}
