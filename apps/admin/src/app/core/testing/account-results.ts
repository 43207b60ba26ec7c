import type { PermissionRule } from '@synapse/rbac';

/** A rule of `@synapse/rbac` as the API's `PermissionRule` type sends it: for faked `myRole` answers. */
export function toRuleResult(rule: PermissionRule) {
  return {
    action: [rule.action].flat() as string[],
    subject: [rule.subject].flat() as string[],
    conditions: (rule.conditions as Record<string, unknown> | undefined) ?? null,
    fields: rule.fields ? [...rule.fields] : null,
    inverted: rule.inverted ?? false,
    reason: rule.reason ?? null,
  };
}
