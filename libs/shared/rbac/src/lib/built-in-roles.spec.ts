import { ACTIONS, Action } from './actions';
import { BUILT_IN_ROLE_DEFINITIONS, BUILT_IN_ROLES, type BuiltInRole } from './built-in-roles';
import { asSubject, defineAbilityFor } from './define-ability';
import { SUBJECTS, type RecordSubjectName } from './subjects';

const RECORD_SUBJECTS = SUBJECTS.filter((s): s is RecordSubjectName => s !== 'all');
const CONCRETE_ACTIONS = ACTIONS.filter((a) => a !== Action.Manage);
const ME = 'user-1';

/** Every "action Subject" the role may do to a record with these fields, sorted. */
function allowedOn(role: BuiltInRole, record: Record<string, unknown>): string[] {
  const ability = defineAbilityFor({ id: ME, role });
  return RECORD_SUBJECTS.flatMap((type) =>
    CONCRETE_ACTIONS.filter((action) => ability.can(action, asSubject(type, record))).map((a) => `${a} ${type}`),
  ).sort();
}

const every = (subjects: readonly RecordSubjectName[], actions: readonly string[] = CONCRETE_ACTIONS) =>
  subjects.flatMap((s) => actions.map((a) => `${a} ${s}`));

describe('built-in roles', () => {
  // Someone else's record, and a record of the signed-in user (`id` for users, `userId` for keys and usage).
  const theirs = { id: 'user-2', userId: 'user-2', role: 'member' };
  const mine = { id: ME, userId: ME, role: 'member' };

  const expected: Record<BuiltInRole, { theirs: string[]; mine: string[] }> = {
    owner: { theirs: every(RECORD_SUBJECTS), mine: every(RECORD_SUBJECTS) },
    admin: {
      theirs: [...every(RECORD_SUBJECTS.filter((s) => s !== 'Role')), 'read Role'],
      mine: [...every(RECORD_SUBJECTS.filter((s) => s !== 'Role')), 'read Role'],
    },
    operator: {
      theirs: [
        ...every(['Channel', 'Route', 'RoutingTarget', 'GatewayKey', 'Alert', 'NotificationChannel']),
        'read ModelPrice',
        'read RequestLog',
        'read Team',
        'read Usage',
      ],
      mine: [
        ...every(['Channel', 'Route', 'RoutingTarget', 'GatewayKey', 'Alert', 'NotificationChannel']),
        'read ModelPrice',
        'read RequestLog',
        'read Team',
        'read Usage',
        'read User',
      ],
    },
    auditor: { theirs: every(RECORD_SUBJECTS, ['read']), mine: every(RECORD_SUBJECTS, ['read']) },
    member: {
      theirs: [],
      mine: [...every(['GatewayKey']), 'read RequestLog', 'read Usage', 'read User'],
    },
  };

  it.each(BUILT_IN_ROLES)('%s may do exactly its share to records of other users', (role) => {
    expect(allowedOn(role, theirs)).toEqual([...expected[role].theirs].sort());
  });

  it.each(BUILT_IN_ROLES)('%s may do exactly its share to its own records', (role) => {
    expect(allowedOn(role, mine)).toEqual([...expected[role].mine].sort());
  });

  it('keeps owner accounts and the owner role to owners: an admin may only read them', () => {
    const owner = asSubject('User', { id: 'user-9', role: 'owner' });
    const admin = defineAbilityFor({ id: ME, role: 'admin' });
    expect(CONCRETE_ACTIONS.filter((a) => admin.can(a, owner))).toEqual(['read']);
    // Making someone owner: the service checks the record as it would be saved.
    expect(admin.can('update', asSubject('User', { ...theirs, role: 'owner' }))).toBe(false);
    expect(admin.relevantRuleFor('update', owner)?.reason).toMatch(/Only an owner/);
    const ownerAbility = defineAbilityFor({ id: ME, role: 'owner' });
    expect(CONCRETE_ACTIONS.filter((a) => ownerAbility.can(a, owner))).toEqual(CONCRETE_ACTIONS);
  });

  it('answers checks on a subject type alone by whether some record could be allowed', () => {
    const member = defineAbilityFor({ id: ME, role: 'member' });
    // Conditional rules count: the service then narrows to the member's own records.
    expect(member.can('read', 'GatewayKey')).toBe(true);
    expect(member.can('read', 'Usage')).toBe(true);
    expect(member.can('read', 'RoutingTarget')).toBe(false);
    expect(member.can('read', 'AuditEvent')).toBe(false);
    const operator = defineAbilityFor({ id: ME, role: 'operator' });
    expect(operator.can('read', 'AuditEvent')).toBe(false);
    expect(operator.can('update', 'User')).toBe(false);
    expect(operator.can('read', 'Role')).toBe(false);
    const auditor = defineAbilityFor({ id: ME, role: 'auditor' });
    expect(auditor.can('read', 'AuditEvent')).toBe(true);
    expect(CONCRETE_ACTIONS.filter((a) => a !== 'read' && auditor.can(a, 'Route'))).toEqual([]);
  });

  it('are plain data that survive a JSON round trip, with placeholders left unresolved', () => {
    defineAbilityFor({ id: ME, role: 'member' });
    expect(JSON.parse(JSON.stringify(BUILT_IN_ROLE_DEFINITIONS))).toEqual(BUILT_IN_ROLE_DEFINITIONS);
    expect(JSON.stringify(BUILT_IN_ROLE_DEFINITIONS.member)).toContain('"userId":"${user.id}"');
  });

  it('lets a member read the keys and the records of their teams, and change neither', () => {
    const ability = defineAbilityFor({ id: ME, role: 'member', teamIds: ['team-a'] });
    expect(ability.can(Action.Read, asSubject('GatewayKey', { userId: null, teamId: 'team-a' }))).toBe(true);
    expect(ability.can(Action.Update, asSubject('GatewayKey', { userId: null, teamId: 'team-a' }))).toBe(false);
    expect(ability.can(Action.Read, asSubject('GatewayKey', { userId: null, teamId: 'team-b' }))).toBe(false);
    expect(ability.can(Action.Read, asSubject('Team', { id: 'team-a' }))).toBe(true);
    expect(ability.can(Action.Update, asSubject('Team', { id: 'team-a' }))).toBe(false);
    expect(ability.can(Action.Read, asSubject('Team', { id: 'team-b' }))).toBe(false);
  });
});
