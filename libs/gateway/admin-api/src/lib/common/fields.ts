import { GqlErrors } from '@synapse/gateway/auth';
import type { Action, AppAbility, SubjectRecord } from '@synapse/rbac';

/** The input fields that were given (left-out fields change nothing). */
export function givenFields(input: object): string[] {
  return Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .map(([field]) => field);
}

/**
 * Refuses a change to fields the caller's rules leave out: a role's `fields` (`update User` with
 * `fields: [name]`) narrow what it may write, not only what it may touch.
 */
export function assertMayWriteFields(
  ability: AppAbility,
  action: Action,
  subject: SubjectRecord,
  fields: readonly string[],
  what: string,
): void {
  const refused = fields.filter((field) => !ability.can(action, subject, field));
  if (refused.length) {
    throw GqlErrors.forbidden(
      `You may not ${action} ${refused.join(', ')} of ${what}: your role does not cover these fields.`,
    );
  }
}
