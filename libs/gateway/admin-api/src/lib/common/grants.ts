import { GqlErrors, type AccessSnapshot, type AuthenticatedUser } from '@synapse/gateway/auth';
import { escalationProblems, type PermissionRule } from '@synapse/rbac';

/**
 * Refuses a grant that would give more than the granting user holds (no privilege escalation):
 * creating or changing a custom role, or giving a role to an account.
 */
export function assertMayGrant(
  access: AccessSnapshot,
  granter: AuthenticatedUser,
  what: string,
  rules: readonly PermissionRule[],
): void {
  const own = access.role(granter.role)?.rules ?? [];
  const problems = escalationProblems(own, rules);
  if (problems.length) {
    throw GqlErrors.forbidden(
      `You may not ${what}: it grants more than your role ${granter.role} holds (${problems.join('; ')}).`,
    );
  }
}
