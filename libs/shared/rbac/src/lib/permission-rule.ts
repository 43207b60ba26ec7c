import { ACTIONS, type Action } from './actions';
import { SUBJECTS, type SubjectName } from './subjects';

/** A JSON value: what a rule's conditions are made of, so that a rule can be stored as it is. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * MongoDB-style conditions on a record's fields, such as `{ userId: '${user.id}' }` or
 * `{ teamId: { $in: '${user.teamIds}' } }`. A string that is exactly a placeholder (see
 * PLACEHOLDERS) is replaced by the signed-in user's value when the ability is built.
 */
export interface RuleConditions {
  readonly [field: string]: JsonValue;
}

/**
 * One permission, as plain data (CASL's raw rule): built-in roles are lists of these, and a custom
 * role is just another list, stored as JSON.
 */
export interface PermissionRule {
  readonly action: Action | readonly Action[];
  readonly subject: SubjectName | readonly SubjectName[];
  /** Only records that match (checked on instances; a check on the subject type alone passes). */
  readonly conditions?: RuleConditions;
  /** Only these fields (`update` of a user's `name` but not its `role`). */
  readonly fields?: readonly string[];
  /** Forbids instead of allowing; a later rule wins over an earlier one. */
  readonly inverted?: boolean;
  /** Why an inverted rule forbids, for error messages. */
  readonly reason?: string;
}

/** A role: a name and its rules. */
export interface RoleDefinition {
  readonly name: string;
  readonly description: string;
  readonly rules: readonly PermissionRule[];
}

/** The user values a condition may refer to. */
export interface PlaceholderUser {
  readonly id: string;
  readonly teamIds?: readonly string[];
}

/** The placeholders a condition may use, each standing alone as a whole string value. */
export const PLACEHOLDERS: Readonly<Record<string, (user: PlaceholderUser) => JsonValue>> = {
  '${user.id}': (user) => user.id,
  '${user.teamIds}': (user) => [...(user.teamIds ?? [])],
};

const PLACEHOLDER_LIKE = /\$\{[^}]*\}/;

/**
 * The condition operators CASL's MongoDB matcher knows. It ignores any other `$` key, so that a typo
 * in an inverted rule would silently forbid nothing: such rules are refused instead.
 */
export const CONDITION_OPERATORS = [
  '$eq',
  '$ne',
  '$lt',
  '$lte',
  '$gt',
  '$gte',
  '$in',
  '$nin',
  '$all',
  '$size',
  '$regex',
  '$options',
  '$elemMatch',
  '$exists',
] as const;

/** The conditions with every placeholder replaced by the user's value. */
export function resolvePlaceholders(conditions: RuleConditions, user: PlaceholderUser): RuleConditions {
  return resolveValue(conditions, user) as RuleConditions;
}

function resolveValue(value: JsonValue, user: PlaceholderUser): JsonValue {
  if (typeof value === 'string') {
    // Own keys only: a literal such as `constructor` is a value, not Object's constructor.
    const placeholder = Object.hasOwn(PLACEHOLDERS, value) ? PLACEHOLDERS[value] : undefined;
    if (placeholder) return placeholder(user);
    // Checked when a rule is accepted; here too, so that a typo never matches a literal string.
    if (PLACEHOLDER_LIKE.test(value)) throw new Error(`Unknown placeholder in '${value}'.`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item: JsonValue) => resolveValue(item, user));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, JsonValue>).map(([key, item]) => [key, resolveValue(item, user)]),
    );
  }
  return value;
}

/**
 * What is wrong with a rule that came from outside the code (a custom role read from storage or
 * an API): unknown actions, subjects or placeholders, wrong shapes. Empty when it is fine.
 * (Unknown condition operators are caught when the ability is built.)
 */
export function permissionRuleProblems(rule: unknown): string[] {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return ['a rule must be an object'];
  const { action, subject, conditions, fields, inverted, reason, ...rest } = rule as Record<string, unknown>;
  const problems: string[] = [];
  const unknownIn = (values: unknown, known: readonly string[]) =>
    (Array.isArray(values) ? values : [values]).filter((v) => typeof v !== 'string' || !known.includes(v));
  if (Array.isArray(action) && action.length === 0) problems.push('action: name at least one');
  for (const bad of unknownIn(action, ACTIONS)) {
    problems.push(`action: unknown '${String(bad)}' (one of ${ACTIONS.join(', ')})`);
  }
  if (Array.isArray(subject) && subject.length === 0) problems.push('subject: name at least one');
  for (const bad of unknownIn(subject, SUBJECTS)) {
    problems.push(`subject: unknown '${String(bad)}' (one of ${SUBJECTS.join(', ')})`);
  }
  if (conditions !== undefined) problems.push(...conditionProblems(conditions));
  if (fields !== undefined && (!Array.isArray(fields) || fields.some((f) => typeof f !== 'string' || !f))) {
    problems.push('fields: must be a list of field names');
  }
  if (inverted !== undefined && typeof inverted !== 'boolean') problems.push('inverted: must be true or false');
  if (reason !== undefined && typeof reason !== 'string') problems.push('reason: must be a string');
  for (const key of Object.keys(rest)) problems.push(`${key}: unknown property`);
  return problems;
}

/** What is wrong with a rule's conditions: not an object, nested too deep, unknown placeholders or operators. */
function conditionProblems(conditions: unknown): string[] {
  if (conditions === null || typeof conditions !== 'object' || Array.isArray(conditions)) {
    return ['conditions: must be an object'];
  }
  const parts = conditionParts(conditions);
  if (!parts) return [`conditions: nested deeper than ${MAX_CONDITION_DEPTH} levels`];
  const placeholders = parts.strings
    .filter((text) => PLACEHOLDER_LIKE.test(text) && !Object.hasOwn(PLACEHOLDERS, text))
    .map((text) => `conditions: unknown placeholder in '${text}' (known: ${Object.keys(PLACEHOLDERS).join(', ')})`);
  const operators = parts.keys
    .filter((key) => key.startsWith('$') && !(CONDITION_OPERATORS as readonly string[]).includes(key))
    .map((key) => `conditions: unknown operator '${key}' (known: ${CONDITION_OPERATORS.join(', ')})`);
  return [...placeholders, ...operators];
}

/** Deepest nesting of a rule's conditions: MongoDB-style conditions need a few levels. */
export const MAX_CONDITION_DEPTH = 16;

interface ConditionParts {
  strings: string[];
  /** Object keys at every depth (array indexes are not keys). */
  keys: string[];
}

/**
 * The strings and keys in conditions, walked without recursion; undefined past MAX_CONDITION_DEPTH
 * (conditions 5,000 deep overflowed the stack of a recursive walk).
 */
function conditionParts(conditions: object): ConditionParts | undefined {
  const parts: ConditionParts = { strings: [], keys: [] };
  const stack: { value: unknown; depth: number }[] = [{ value: conditions, depth: 1 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, depth } = item;
    if (typeof value === 'string') parts.strings.push(value);
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_CONDITION_DEPTH) return undefined;
    if (!Array.isArray(value)) parts.keys.push(...Object.keys(value));
    // Pushed in reverse, so that strings and keys come out in the order they are written.
    const children = Object.values(value);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ value: children[i], depth: depth + 1 });
  }
  return parts;
}

/**
 * The subjects whose admin services check each record (and each field written) against the
 * ability. On other subjects only the type is checked, so a rule's `conditions` or `fields` there
 * would not be enforced: custom roles may not rely on them.
 */
export const RECORD_CHECKED_SUBJECTS: readonly SubjectName[] = ['User', 'Team', 'GatewayKey'];

/** Problems of a rule whose conditions or fields the admin API would not enforce. */
export function unenforcedProblems(rule: PermissionRule): string[] {
  if (rule.conditions === undefined && rule.fields === undefined) return [];
  const what = [rule.conditions !== undefined && 'conditions', rule.fields !== undefined && 'fields']
    .filter(Boolean)
    .join(' and ');
  return [rule.subject]
    .flat()
    .filter((subject) => !RECORD_CHECKED_SUBJECTS.includes(subject))
    .map(
      (subject) =>
        `subject: ${what} on '${subject}' are not enforced (only on ${RECORD_CHECKED_SUBJECTS.join(', ')}); grant '${subject}' without them`,
    );
}
