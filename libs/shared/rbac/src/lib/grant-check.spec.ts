import { Action } from './actions';
import { BUILT_IN_ROLE_DEFINITIONS } from './built-in-roles';
import { escalationProblems } from './grant-check';
import { unenforcedProblems, type PermissionRule } from './permission-rule';

const rules = (role: keyof typeof BUILT_IN_ROLE_DEFINITIONS) => BUILT_IN_ROLE_DEFINITIONS[role].rules;

describe('escalationProblems', () => {
  it('lets an owner grant every built-in role', () => {
    for (const role of Object.keys(BUILT_IN_ROLE_DEFINITIONS) as (keyof typeof BUILT_IN_ROLE_DEFINITIONS)[]) {
      expect(escalationProblems(rules('owner'), rules(role))).toEqual([]);
    }
  });

  it('lets an admin grant admin, operator, auditor and member, but not owner', () => {
    for (const role of ['admin', 'operator', 'auditor', 'member'] as const) {
      expect(escalationProblems(rules('admin'), rules(role))).toEqual([]);
    }
    const problems = escalationProblems(rules('admin'), rules('owner'));
    expect(problems).toEqual([
      'manage all: it would lift an exception you are held to (may not create Role)',
      'manage all: it would lift an exception you are held to (may not update Role)',
      'manage all: it would lift an exception you are held to (may not delete Role)',
      'manage all: it would lift an exception you are held to (may not create User where {"role":"owner"})',
      'manage all: it would lift an exception you are held to (may not update User where {"role":"owner"})',
      'manage all: it would lift an exception you are held to (may not delete User where {"role":"owner"})',
    ]);
  });

  it('refuses an admin a custom role that writes roles or owner accounts', () => {
    const writesRoles: PermissionRule[] = [{ action: Action.Update, subject: 'Role' }];
    expect(escalationProblems(rules('admin'), writesRoles)).toEqual([
      'update Role: it would lift an exception you are held to (may not update Role)',
    ]);
    const writesUsers: PermissionRule[] = [{ action: Action.Manage, subject: 'User' }];
    expect(escalationProblems(rules('admin'), writesUsers).length).toBeGreaterThan(0);
    const writesUsersButNotOwners: PermissionRule[] = [
      { action: Action.Manage, subject: 'User' },
      {
        action: [Action.Create, Action.Update, Action.Delete],
        subject: 'User',
        conditions: { role: 'owner' },
        inverted: true,
      },
    ];
    expect(escalationProblems(rules('admin'), writesUsersButNotOwners)).toEqual([]);
  });

  it('refuses an operator anything beyond channels, routes, targets, keys and reading logs', () => {
    expect(escalationProblems(rules('operator'), [{ action: Action.Read, subject: 'Channel' }])).toEqual([]);
    expect(escalationProblems(rules('operator'), [{ action: Action.Read, subject: 'User' }])).toEqual([
      'read User: you do not hold it yourself',
    ]);
    expect(escalationProblems(rules('operator'), [{ action: Action.Read, subject: 'all' }])).toEqual([
      'read all: you do not hold it yourself',
    ]);
  });

  it('compares conditions as written: the same condition passes, a wider one does not', () => {
    const own = { userId: '${user.id}' };
    expect(
      escalationProblems(rules('member'), [{ action: Action.Read, subject: 'GatewayKey', conditions: own }]),
    ).toEqual([]);
    expect(escalationProblems(rules('member'), [{ action: Action.Read, subject: 'GatewayKey' }])).toEqual([
      'read GatewayKey: you do not hold it yourself',
    ]);
    expect(
      escalationProblems(rules('member'), [
        { action: Action.Read, subject: 'GatewayKey', conditions: { name: { $regex: '^ci' } } },
      ]),
    ).toEqual(['read GatewayKey where {"name":{"$regex":"^ci"}}: you do not hold it yourself']);
  });

  it('treats field lists as narrowing: a field subset passes, more fields do not', () => {
    const granter: PermissionRule[] = [{ action: Action.Update, subject: 'User', fields: ['name', 'email'] }];
    expect(escalationProblems(granter, [{ action: Action.Update, subject: 'User', fields: ['name'] }])).toEqual([]);
    expect(escalationProblems(granter, [{ action: Action.Update, subject: 'User' }])).toEqual([
      'update User: you do not hold it yourself',
    ]);
  });

  it('always allows granting restrictions (inverted rules) alone', () => {
    expect(escalationProblems(rules('member'), [{ action: Action.Manage, subject: 'all', inverted: true }])).toEqual(
      [],
    );
  });

  it('does not count an exception placed before the allow it should restrict (a later CASL rule wins)', () => {
    const deputy: PermissionRule[] = [
      { action: Action.Manage, subject: 'all' },
      { action: Action.Manage, subject: 'AuditEvent', inverted: true },
    ];
    const reordered: PermissionRule[] = [
      { action: Action.Manage, subject: 'AuditEvent', inverted: true },
      { action: Action.Manage, subject: 'all' },
    ];
    expect(escalationProblems(deputy, reordered)).toEqual([
      'manage all: it would lift an exception you are held to (may not manage AuditEvent)',
    ]);
    expect(escalationProblems(deputy, deputy)).toEqual([]);
    const adminReordered = [...rules('admin').slice(1), rules('admin')[0]];
    expect(escalationProblems(rules('admin'), adminReordered).length).toBeGreaterThan(0);
  });
});

describe('unenforcedProblems', () => {
  it('refuses conditions or fields on subjects whose services check only the type', () => {
    expect(unenforcedProblems({ action: Action.Manage, subject: 'Channel', conditions: { name: 'sandbox' } })).toEqual([
      "subject: conditions on 'Channel' are not enforced (only on User, Team, GatewayKey); grant 'Channel' without them",
    ]);
    expect(unenforcedProblems({ action: Action.Read, subject: ['AuditEvent', 'Team'], fields: ['detail'] })).toEqual([
      "subject: fields on 'AuditEvent' are not enforced (only on User, Team, GatewayKey); grant 'AuditEvent' without them",
    ]);
  });

  it('accepts them on users, teams and keys, and any rule without them', () => {
    expect(
      unenforcedProblems({ action: Action.Update, subject: 'User', fields: ['name'], conditions: { role: 'member' } }),
    ).toEqual([]);
    expect(unenforcedProblems({ action: Action.Manage, subject: 'all' })).toEqual([]);
  });
});
