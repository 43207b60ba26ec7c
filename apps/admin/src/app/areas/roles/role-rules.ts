import {
  ACTIONS,
  RECORD_CHECKED_SUBJECTS,
  SUBJECTS,
  permissionRuleProblems,
  unenforcedProblems,
  type Action,
  type PermissionRule,
  type SubjectName,
} from '@synapse/rbac';
import type { PermissionRuleInput, RoleRule } from './roles.graphql';

export { ACTIONS, SUBJECTS };

/** A condition offered in the form: records of the signed-in user, or of their teams. */
export interface ConditionPreset {
  readonly id: 'own' | 'ownAccount' | 'teams' | 'ownTeams';
  readonly subject: SubjectName;
  readonly conditions: Record<string, unknown>;
}

/**
 * The conditions the form offers, per subject. Only subjects whose services check each record
 * (`RECORD_CHECKED_SUBJECTS`) get any: elsewhere the API would refuse them as not enforced.
 */
export const CONDITION_PRESETS: readonly ConditionPreset[] = (
  [
    { id: 'own', subject: 'GatewayKey', conditions: { userId: '${user.id}' } },
    { id: 'teams', subject: 'GatewayKey', conditions: { teamId: { $in: '${user.teamIds}' } } },
    { id: 'ownAccount', subject: 'User', conditions: { id: '${user.id}' } },
    { id: 'ownTeams', subject: 'Team', conditions: { id: { $in: '${user.teamIds}' } } },
  ] as const satisfies readonly ConditionPreset[]
).filter((preset) => RECORD_CHECKED_SUBJECTS.includes(preset.subject));

/** The fields a rule may be narrowed to, per record-checked subject (what the update inputs take). */
export const RULE_FIELDS: Partial<Record<SubjectName, readonly string[]>> = {
  GatewayKey: [
    'name',
    'models',
    'endpoints',
    'ipAllow',
    'enabled',
    'expiresAt',
    'captureBodies',
    'limits',
    'userId',
    'teamId',
  ],
  User: ['name', 'role', 'limits'],
  Team: ['name', 'description', 'limits'],
};

/** One rule as the form holds it. */
export interface RuleDraft {
  inverted: boolean;
  actions: Action[];
  subjects: SubjectName[];
  /** A preset id, '' for none, or 'custom' for conditions the form cannot express (kept as they are). */
  condition: string;
  customConditions: Record<string, unknown> | null;
  fields: string[];
  reason: string;
}

/** Conditions and fields are offered only on one record-checked subject at a time. */
export function narrowableSubject(subjects: readonly string[]): SubjectName | null {
  return subjects.length === 1 && RECORD_CHECKED_SUBJECTS.includes(subjects[0] as SubjectName)
    ? (subjects[0] as SubjectName)
    : null;
}

export function presetsFor(subjects: readonly string[]): ConditionPreset[] {
  const subject = narrowableSubject(subjects);
  return subject ? CONDITION_PRESETS.filter((preset) => preset.subject === subject) : [];
}

export function toRuleInput(draft: RuleDraft): PermissionRuleInput {
  const preset = CONDITION_PRESETS.find((p) => p.id === draft.condition && p.subject === draft.subjects[0]);
  const conditions = draft.condition === 'custom' ? draft.customConditions : preset?.conditions;
  return {
    action: [...draft.actions],
    subject: [...draft.subjects],
    ...(conditions && { conditions: { ...conditions } }),
    ...(draft.fields.length && { fields: [...draft.fields] }),
    ...(draft.inverted && { inverted: true }),
    ...(draft.inverted && draft.reason.trim() && { reason: draft.reason.trim() }),
  };
}

export function fromRule(rule: RoleRule): RuleDraft {
  const canonical = (value: unknown) => JSON.stringify(value);
  const preset = rule.conditions
    ? CONDITION_PRESETS.find(
        (p) =>
          rule.subject.length === 1 &&
          p.subject === rule.subject[0] &&
          canonical(p.conditions) === canonical(rule.conditions),
      )
    : undefined;
  return {
    inverted: rule.inverted,
    actions: rule.action.filter((a): a is Action => (ACTIONS as readonly string[]).includes(a)),
    subjects: rule.subject.filter((s): s is SubjectName => (SUBJECTS as readonly string[]).includes(s)),
    condition: rule.conditions ? (preset?.id ?? 'custom') : '',
    customConditions: rule.conditions && !preset ? rule.conditions : null,
    fields: rule.fields ?? [],
    reason: rule.reason ?? '',
  };
}

/** The problems `@synapse/rbac` finds in the rules, by rule number (1-based), before anything is sent. */
export function ruleProblems(rules: readonly PermissionRuleInput[]): string[] {
  return rules.flatMap((rule, i) =>
    [...permissionRuleProblems(rule), ...unenforcedProblems(rule as PermissionRule)].map((p) => `#${i + 1} ${p}`),
  );
}
