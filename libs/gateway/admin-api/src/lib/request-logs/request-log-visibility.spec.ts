import { Action, defineAbilityFor, type PermissionRule } from '@synapse/rbac';
import { requestLogVisibility } from './request-log-visibility';

const user = { id: 'u-1', teamIds: ['t-1', 't-2'] };
const custom = (...rules: PermissionRule[]) =>
  defineAbilityFor({ ...user, role: 'log-reader' }, [{ name: 'log-reader', description: '', rules }]);

describe(requestLogVisibility.name, () => {
  it('reads every row for staff and only their own for members', () => {
    expect(requestLogVisibility(defineAbilityFor({ ...user, role: 'auditor' }))).toBeNull();
    expect(requestLogVisibility(defineAbilityFor({ ...user, role: 'owner' }))).toBeNull();
    expect(requestLogVisibility(defineAbilityFor({ ...user, role: 'member' }))).toEqual({
      userIds: ['u-1'],
      teamIds: [],
    });
  });

  it("turns a custom role's user and team conditions into the query's narrowing", () => {
    const ability = custom(
      { action: Action.Read, subject: 'RequestLog', conditions: { userId: '${user.id}' } },
      { action: Action.Read, subject: 'RequestLog', conditions: { teamId: { $in: '${user.teamIds}' } } },
    );
    expect(requestLogVisibility(ability)).toEqual({ userIds: ['u-1'], teamIds: ['t-1', 't-2'] });
  });

  it('refuses conditions the query cannot express rather than reading too much', () => {
    const byModel = custom({ action: Action.Read, subject: 'RequestLog', conditions: { requestedModel: 'gpt-4o' } });
    expect(() => requestLogVisibility(byModel)).toThrow(expect.objectContaining({ extensions: { code: 'FORBIDDEN' } }));
    const except = custom(
      { action: Action.Read, subject: 'RequestLog' },
      { action: Action.Read, subject: 'RequestLog', inverted: true, conditions: { userId: 'u-9' } },
    );
    expect(() => requestLogVisibility(except)).toThrow(expect.objectContaining({ extensions: { code: 'FORBIDDEN' } }));
  });
});
