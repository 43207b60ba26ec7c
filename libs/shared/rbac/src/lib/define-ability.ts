// The declaration file types @casl/ability for moduleResolution "node"; an import cannot load a .d.ts.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./casl-ability.d.ts" />
import {
  createMongoAbility,
  mongoQueryMatcher,
  subject,
  type ForcedSubject,
  type MongoAbility,
  type RawRuleOf,
} from '@casl/ability';
import type { Action } from './actions';
import { BUILT_IN_ROLE_DEFINITIONS, BUILT_IN_ROLES, isBuiltInRole, type BuiltInRole } from './built-in-roles';
import {
  permissionRuleProblems,
  resolvePlaceholders,
  type PermissionRule,
  type PlaceholderUser,
  type RoleDefinition,
} from './permission-rule';
import type { RecordSubjectName, SubjectName } from './subjects';

/** A record checked against conditions, tagged with its subject type (see `asSubject`). */
export type SubjectRecord = Record<string, unknown> & ForcedSubject<RecordSubjectName>;

/** What a user may do: CASL's ability over our actions and subjects. */
export type AppAbility = MongoAbility<[Action, SubjectName | SubjectRecord]>;

/** Who the ability is for: the user's id (for conditions), role and teams. */
export interface AbilityUser extends PlaceholderUser {
  readonly role: string;
}

/** A role's rules do not make sense: raised for custom roles, which come from outside the code. */
export class InvalidRoleError extends Error {
  constructor(
    readonly role: string,
    readonly problems: readonly string[],
  ) {
    super(`Role '${role}' has invalid rules: ${problems.join('; ')}.`);
    this.name = InvalidRoleError.name;
  }
}

/**
 * The ability of one user: the rules of their role with the placeholders resolved. A custom role
 * is looked up by name in `customRoles`; built-in names cannot be redefined. An unknown role gets
 * an ability that allows nothing (default deny).
 */
export function defineAbilityFor(user: AbilityUser, customRoles: readonly RoleDefinition[] = []): AppAbility {
  const role = isBuiltInRole(user.role)
    ? BUILT_IN_ROLE_DEFINITIONS[user.role]
    : customRoles.find((custom) => custom.name === user.role);
  if (!role) return createMongoAbility<AppAbility>([]);
  const custom = !isBuiltInRole(role.name);
  if (custom) {
    const problems = role.rules.flatMap((rule, i) => permissionRuleProblems(rule).map((p) => `rules[${i}].${p}`));
    if (problems.length) throw new InvalidRoleError(role.name, problems);
  }
  const ability = createMongoAbility<AppAbility>(role.rules.map((rule) => toRawRule(rule, user)));
  // The built-in rules are checked by their tests.
  if (custom) checkConditions(role.name, ability);
  return ability;
}

/** An ability that allows nothing. */
export function denyAll(): AppAbility {
  return createMongoAbility<AppAbility>([]);
}

/** A record as a subject of a check, such as `ability.can('update', asSubject('GatewayKey', key))`. */
export function asSubject(type: RecordSubjectName, record: Record<string, unknown>): SubjectRecord {
  return subject(type, { ...record });
}

/** The built-in roles under which the same user would pass `check`: for error messages. */
export function builtInRolesAllowing(user: PlaceholderUser, check: (ability: AppAbility) => boolean): BuiltInRole[] {
  return BUILT_IN_ROLES.filter((role) => check(defineAbilityFor({ ...user, role })));
}

function toRawRule(rule: PermissionRule, user: PlaceholderUser): RawRuleOf<AppAbility> {
  const raw = {
    action: [rule.action].flat(),
    subject: [rule.subject].flat(),
    ...(rule.conditions && { conditions: resolvePlaceholders(rule.conditions, user) }),
    ...(rule.fields && { fields: [...rule.fields] }),
    ...(rule.inverted && { inverted: true }),
    ...(rule.reason && { reason: rule.reason }),
  };
  return raw as RawRuleOf<AppAbility>;
}

/** CASL compiles conditions on first use; compile them now, so that a bad value fails here, not mid-request. */
function checkConditions(role: string, ability: AppAbility): void {
  const problems: string[] = [];
  ability.rules.forEach((rule, i) => {
    try {
      if (rule.conditions) mongoQueryMatcher(rule.conditions);
    } catch (error) {
      problems.push(`rules[${i}].conditions: ${(error as Error).message}`);
    }
  });
  if (problems.length) throw new InvalidRoleError(role, problems);
}
