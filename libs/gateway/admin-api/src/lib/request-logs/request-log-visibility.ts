import { GqlErrors } from '@synapse/gateway/auth';
import type { RequestLogFilter } from '@synapse/gateway/persistence';
import { Action, type AppAbility } from '@synapse/rbac';

type Visibility = NonNullable<RequestLogFilter['visibleTo']>;

/** A condition value: one id, `{ $in: [ids] }` or `{ $eq: id }` (what `${user.id}`/`${user.teamIds}` resolve to). */
function idsOf(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length !== 1) return null;
    const [operator, operand] = entries[0];
    if (operator === '$eq' && typeof operand === 'string') return [operand];
    if (operator === '$in' && Array.isArray(operand) && operand.every((id) => typeof id === 'string')) return operand;
  }
  return null;
}

/**
 * Which rows of the request log the ability reads, as a condition for the query: null for every
 * row, otherwise the users and teams whose rows. Rules the query cannot express (other fields,
 * other operators, exceptions) are refused rather than read too widely.
 */
export function requestLogVisibility(ability: AppAbility): Visibility | null {
  const rules = ability.rulesFor(Action.Read, 'RequestLog');
  const allowing = rules.filter((rule) => !rule.inverted);
  if (rules.some((rule) => rule.inverted && rule.conditions)) {
    throw GqlErrors.forbidden('Your role limits the request log by exceptions the search cannot apply.');
  }
  if (allowing.some((rule) => !rule.conditions)) return null;
  const visible = { userIds: [] as string[], teamIds: [] as string[] };
  for (const rule of allowing) {
    const conditions = rule.conditions as Record<string, unknown>;
    const keys = Object.keys(conditions);
    const supported = keys.length === 1 && (keys[0] === 'userId' || keys[0] === 'teamId');
    const ids = supported ? idsOf(conditions[keys[0]]) : null;
    if (!ids) throw GqlErrors.forbidden('Your role limits the request log by conditions the search cannot apply.');
    (keys[0] === 'userId' ? visible.userIds : visible.teamIds).push(...ids);
  }
  return visible;
}
