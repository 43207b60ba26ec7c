import { BUILT_IN_ROLE_DEFINITIONS, BUILT_IN_ROLES } from './built-in-roles';
import { asSubject, builtInRolesAllowing, defineAbilityFor, InvalidRoleError } from './define-ability';
import { MAX_CONDITION_DEPTH, permissionRuleProblems, type RoleDefinition } from './permission-rule';

const teamLead: RoleDefinition = {
  name: 'team-lead',
  description: "Reads their teams' usage and renames themselves.",
  rules: [
    { action: 'read', subject: 'Usage', conditions: { teamId: { $in: '${user.teamIds}' } } },
    { action: 'update', subject: 'User', conditions: { id: '${user.id}' }, fields: ['name'] },
  ],
};

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidRoleError) return error.problems;
    throw error;
  }
  return [];
}

describe(defineAbilityFor.name, () => {
  it('builds a custom role from its rules, with placeholders, conditions and fields', () => {
    const ability = defineAbilityFor({ id: 'u1', role: 'team-lead', teamIds: ['t1', 't2'] }, [teamLead]);
    expect(ability.can('read', asSubject('Usage', { teamId: 't2' }))).toBe(true);
    expect(ability.can('read', asSubject('Usage', { teamId: 't3' }))).toBe(false);
    expect(ability.can('update', asSubject('User', { id: 'u1' }), 'name')).toBe(true);
    expect(ability.can('update', asSubject('User', { id: 'u1' }), 'role')).toBe(false);
    expect(ability.can('update', asSubject('User', { id: 'u2' }), 'name')).toBe(false);
    expect(ability.can('read', 'Route')).toBe(false);
  });

  it('reads a condition value named like a property of every object as a literal', () => {
    const named: RoleDefinition = {
      name: 'named',
      description: '',
      rules: [{ action: 'read', subject: 'Route', conditions: { name: { $in: ['constructor', 'valueOf'] } } }],
    };
    const ability = defineAbilityFor({ id: 'u1', role: 'named' }, [named]);
    expect(ability.can('read', asSubject('Route', { name: 'constructor' }))).toBe(true);
    expect(ability.can('read', asSubject('Route', { name: 'other' }))).toBe(false);
  });

  it('gives a user without teams no team records', () => {
    const ability = defineAbilityFor({ id: 'u1', role: 'team-lead' }, [teamLead]);
    expect(ability.can('read', asSubject('Usage', { teamId: 't1' }))).toBe(false);
  });

  it('allows nothing to an unknown role (default deny)', () => {
    const ability = defineAbilityFor({ id: 'u1', role: 'ghost' }, [teamLead]);
    expect(ability.rules).toEqual([]);
    expect(ability.can('read', 'User')).toBe(false);
  });

  it('never lets a custom role redefine a built-in one', () => {
    const fake: RoleDefinition = { name: 'member', description: '', rules: [{ action: 'manage', subject: 'all' }] };
    expect(defineAbilityFor({ id: 'u1', role: 'member' }, [fake]).can('read', 'RoutingTarget')).toBe(false);
  });

  it('refuses a custom role with rules that do not make sense, naming each problem', () => {
    const broken = {
      name: 'broken',
      description: '',
      rules: [
        { action: 'publish', subject: 'Route' },
        { action: 'read', subject: ['Route', 'Secrets'] },
        { action: 'read', subject: 'Usage', conditions: { userId: '${user.email}' } },
        { action: 'delete', subject: 'User', conditions: { role: { $equals: 'owner' } }, inverted: true },
        { action: 'read', subject: 'Route', when: 'always' },
      ],
    } as unknown as RoleDefinition;
    expect(problemsOf(() => defineAbilityFor({ id: 'u1', role: 'broken' }, [broken]))).toEqual([
      "rules[0].action: unknown 'publish' (one of manage, create, read, update, delete)",
      "rules[1].subject: unknown 'Secrets' (one of User, Role, Team, Channel, Route, RoutingTarget, GatewayKey, RequestLog, Usage, AuditEvent, Alert, NotificationChannel, ModelPrice, all)",
      "rules[2].conditions: unknown placeholder in '${user.email}' (known: ${user.id}, ${user.teamIds})",
      expect.stringMatching(/^rules\[3\]\.conditions: unknown operator '\$equals'/),
      'rules[4].when: unknown property',
    ]);
  });

  it('refuses conditions the matcher cannot compile when the ability is built, not mid-request', () => {
    const role: RoleDefinition = {
      name: 'bad-in',
      description: '',
      rules: [{ action: 'read', subject: 'Usage', conditions: { teamId: { $in: 't1' } } }],
    };
    expect(problemsOf(() => defineAbilityFor({ id: 'u1', role: 'bad-in' }, [role]))).toEqual([
      'rules[0].conditions: "in" expects value to be an array',
    ]);
  });
});

describe(permissionRuleProblems.name, () => {
  it('refuses conditions nested past MAX_CONDITION_DEPTH, walking them without recursion', () => {
    const nested = (depth: number) => {
      let conditions: Record<string, unknown> = { id: '${user.id}' };
      for (let i = 1; i < depth; i++) conditions = { $elemMatch: conditions };
      return conditions;
    };
    const rule = (depth: number) => ({ action: 'read', subject: 'GatewayKey', conditions: nested(depth) });
    expect(permissionRuleProblems(rule(MAX_CONDITION_DEPTH))).toEqual([]);
    expect(permissionRuleProblems(rule(MAX_CONDITION_DEPTH + 1))).toEqual([
      `conditions: nested deeper than ${MAX_CONDITION_DEPTH} levels`,
    ]);
    // A stack overflow in a recursive walk before.
    expect(permissionRuleProblems(rule(20_000))).toHaveLength(1);
  });

  it('finds nothing wrong with the built-in roles', () => {
    for (const role of BUILT_IN_ROLES) {
      expect(BUILT_IN_ROLE_DEFINITIONS[role].rules.flatMap(permissionRuleProblems)).toEqual([]);
    }
  });

  it('checks the shape of every property', () => {
    expect(permissionRuleProblems(null)).toEqual(['a rule must be an object']);
    expect(
      permissionRuleProblems({ action: [], subject: [], conditions: [], fields: 'name', inverted: 'yes', reason: 1 }),
    ).toEqual([
      'action: name at least one',
      'subject: name at least one',
      'conditions: must be an object',
      'fields: must be a list of field names',
      'inverted: must be true or false',
      'reason: must be a string',
    ]);
  });
});

describe(builtInRolesAllowing.name, () => {
  it('names the built-in roles that would pass a check, for error messages', () => {
    expect(builtInRolesAllowing({ id: 'u1' }, (a) => a.can('update', 'RoutingTarget'))).toEqual([
      'owner',
      'admin',
      'operator',
    ]);
    expect(builtInRolesAllowing({ id: 'u1' }, (a) => a.can('read', asSubject('User', { id: 'u1' })))).toEqual([
      ...BUILT_IN_ROLES,
    ]);
    expect(builtInRolesAllowing({ id: 'u1' }, (a) => a.can('update', 'Role'))).toEqual(['owner']);
  });
});
