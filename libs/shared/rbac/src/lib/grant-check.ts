import { Action } from './actions';
import type { JsonValue, PermissionRule } from './permission-rule';

/** One action on one subject, as a rule grants or forbids it (lists unfolded). */
interface Permission {
  readonly action: string;
  readonly subject: string;
  readonly conditions?: JsonValue;
  readonly fields?: readonly string[];
}

/**
 * What `granted` (a role being created, changed or given to someone) would allow that the granter's
 * own rules do not: empty when the grant is no escalation. Deliberately conservative, since rules
 * with conditions cannot be compared in general:
 * - every permission granted must be covered by one of the granter's permissions that has no
 *   conditions (or exactly the same ones, placeholders unresolved) and no narrower field list;
 * - every exception the granter is held to (an inverted rule) that touches a granted permission must
 *   be carried by the granted role as well, at least as broad, and after that permission (in CASL a
 *   later rule wins, so an exception placed before an allow does not hold).
 * An owner (manage all, no exceptions) may grant anything; an admin may grant admin but not owner.
 */
export function escalationProblems(
  granterRules: readonly PermissionRule[],
  granted: readonly PermissionRule[],
): string[] {
  const granterAllows = granterRules.filter((r) => !r.inverted).flatMap(unfold);
  const granterForbids = granterRules.filter((r) => r.inverted).flatMap(unfold);
  // Positions matter: in CASL a later rule wins, so an exception only holds over the allows before it.
  const grantedForbids = granted.flatMap((rule, index) =>
    rule.inverted ? unfold(rule).map((p) => ({ p, index })) : [],
  );
  const problems = new Set<string>();
  granted.forEach((rule, index) => {
    if (rule.inverted) return;
    for (const permission of unfold(rule)) {
      const what = describe(permission);
      if (!granterAllows.some((own) => covers(own, permission))) {
        problems.add(`${what}: you do not hold it yourself`);
        continue;
      }
      for (const exception of granterForbids) {
        const kept = grantedForbids.some((forbid) => forbid.index > index && covers(forbid.p, exception));
        if (overlaps(exception, permission) && !kept) {
          problems.add(`${what}: it would lift an exception you are held to (may not ${describe(exception)})`);
        }
      }
    }
  });
  return [...problems];
}

function unfold(rule: PermissionRule): Permission[] {
  return [rule.action].flat().flatMap((action) =>
    [rule.subject].flat().map((subject) => ({
      action,
      subject,
      ...(rule.conditions && { conditions: rule.conditions }),
      ...(rule.fields && { fields: rule.fields }),
    })),
  );
}

/** Whether `broad` allows (or forbids) at least everything `narrow` does. */
function covers(broad: Permission, narrow: Permission): boolean {
  return (
    (broad.action === Action.Manage || broad.action === narrow.action) &&
    (broad.subject === 'all' || broad.subject === narrow.subject) &&
    (broad.conditions === undefined || sameJson(broad.conditions, narrow.conditions)) &&
    (broad.fields === undefined || (narrow.fields?.every((f) => broad.fields?.includes(f)) ?? false))
  );
}

/** Whether the two can apply to the same action on the same record. */
function overlaps(a: Permission, b: Permission): boolean {
  return (
    (a.action === Action.Manage || b.action === Action.Manage || a.action === b.action) &&
    (a.subject === 'all' || b.subject === 'all' || a.subject === b.subject)
  );
}

function describe(permission: Permission): string {
  const conditions = permission.conditions === undefined ? '' : ` where ${JSON.stringify(permission.conditions)}`;
  const fields = permission.fields ? ` (fields ${permission.fields.join(', ')})` : '';
  return `${permission.action} ${permission.subject}${conditions}${fields}`;
}

function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return a !== undefined && b !== undefined && canonical(a) === canonical(b);
}

function canonical(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, JsonValue>).sort(([x], [y]) => (x < y ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
