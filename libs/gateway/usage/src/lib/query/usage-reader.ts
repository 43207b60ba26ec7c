import { Action, asSubject, type AppAbility } from '@synapse/rbac';
import { UsageQueryError } from './usage-query-error';
import type { UsageReader } from './usage-query';

/**
 * What a signed-in user may read of usage: everything when a rule grants `read Usage` without
 * conditions (auditors, operators, admins, owners), else their own traffic when the rules allow
 * records with their userId (members). Other conditions (a custom role reading a team's usage)
 * cannot be answered from per-user rollups and are refused.
 */
export function usageReaderOf(ability: AppAbility, userId: string): UsageReader {
  const rules = ability.rulesFor(Action.Read, 'Usage');
  const unconditional = rules.some((rule) => !rule.inverted && !rule.conditions);
  const inverted = rules.some((rule) => rule.inverted);
  if (unconditional && !inverted) return { scope: 'all' };
  if (ability.can(Action.Read, asSubject('Usage', { userId }))) return { scope: 'user', userId };
  throw new UsageQueryError('FORBIDDEN', 'Your role may not read usage.');
}
