import { GraphQLError } from 'graphql';
import { areaPageTest } from '../../core/testing/area-page-test';
import { signInAs } from '../../core/testing/sign-in-as';
import { KEYS_TRANSLATIONS } from '../keys/keys.i18n';
import {
  allByTestId,
  byTestId,
  emptyTexts,
  hasTestId,
  settle,
  translationKeys,
  typeInto,
} from '../../core/testing/area-testing';
import { UsersPage } from './users-page';
import { CREATE_USER, DELETE_USER, ROLE_NAMES, UPDATE_USER, USERS, type User } from './users.graphql';
import { USERS_TRANSLATIONS } from './users.i18n';

function user(overrides: Partial<User> = {}): User {
  return {
    __typename: 'User',
    id: 'u2',
    email: 'dana@example.com',
    name: 'Dana',
    role: 'operator',
    hasPassword: true,
    teamIds: [],
    createdAt: '2026-11-01T00:00:00Z',
    limits: null,
    spend: null,
    ...overrides,
  } as User;
}

describe(UsersPage.name, () => {
  const area = areaPageTest(UsersPage, KEYS_TRANSLATIONS, USERS_TRANSLATIONS);
  const answerUsers = async (users: User[]) => {
    area.controller.expectOne(USERS).flush({ data: { users } });
    await settle(area.fixture);
  };

  describe('as an admin', () => {
    beforeEach(async () => {
      signInAs('admin', { id: 'u-admin' });
      await area.render();
      area.controller.expectOne(ROLE_NAMES).flush({
        data: {
          roles: ['owner', 'admin', 'operator', 'auditor', 'member', 'key-auditor'].map((name) => ({
            __typename: 'Role',
            name,
            builtIn: name !== 'key-auditor',
          })),
        },
      });
    });

    it('lists the accounts, offering nothing on owners or on itself that it may not do', async () => {
      await answerUsers([
        user(),
        user({ id: 'u-owner', email: 'owner@example.com', role: 'owner' }),
        user({ id: 'u-admin', email: 'me@example.com', role: 'admin' }),
      ]);
      const [dana, owner, me] = allByTestId('users-row', area.page);
      expect(hasTestId('users-edit', dana) && hasTestId('users-delete', dana)).toBe(true);
      expect(hasTestId('users-edit', owner) || hasTestId('users-delete', owner)).toBe(false);
      expect(hasTestId('users-edit', me)).toBe(true);
      expect(hasTestId('users-delete', me)).toBe(false);
    });

    it('offers only the roles it may give', async () => {
      await answerUsers([]);
      expect(byTestId('users-empty', area.page).textContent).toContain('No users to show.');
      await area.click('users-new');
      const options = Array.from(byTestId<HTMLSelectElement>('users-field-role', area.page).options).map(
        (o) => o.value,
      );
      expect(options).toEqual(['admin', 'operator', 'auditor', 'member', 'key-auditor']);
    });

    it('checks the fields and sends nothing while one is wrong', async () => {
      await answerUsers([]);
      await area.click('users-new');
      typeInto('users-field-email', 'not-an-email', area.page);
      typeInto('users-field-password', 'short', area.page);
      typeInto('users-field-monthlyBudgetUsd', '-1', area.page);
      await area.click('users-save');
      const errors = Array.from(area.page.querySelectorAll('mat-error')).map((e) => e.textContent?.trim());
      expect(errors).toEqual(['Enter an email address.', 'At least 12 characters.', 'Enter an amount above 0.']);
      area.controller.expectNone(CREATE_USER);
    });

    it('creates an account with the variables the API takes', async () => {
      await answerUsers([]);
      await area.click('users-new');
      typeInto('users-field-email', 'new@example.com', area.page);
      typeInto('users-field-name', 'New', area.page);
      typeInto('users-field-role', 'operator', area.page);
      typeInto('users-field-password', 'twelve-chars-ok', area.page);
      typeInto('users-field-rpm', '100', area.page);
      await area.click('users-save');
      const op = area.controller.expectOne(CREATE_USER);
      expect(op.operation.variables).toEqual({
        input: {
          email: 'new@example.com',
          name: 'New',
          role: 'operator',
          password: 'twelve-chars-ok',
          limits: { rpm: 100 },
        },
      });
      op.flush({ data: { createUser: user({ id: 'u3', email: 'new@example.com' }) } });
      await settle(area.fixture);
      expect(allByTestId('users-row', area.page)).toHaveLength(1);
    });

    it('leaves the password out for a single sign-on account and shows the API refusal as text', async () => {
      await answerUsers([]);
      await area.click('users-new');
      typeInto('users-field-email', 'sso@example.com', area.page);
      await area.click('users-save');
      const op = area.controller.expectOne(CREATE_USER);
      expect(op.operation.variables['input']).toEqual({
        email: 'sso@example.com',
        name: null,
        role: 'member',
        limits: null,
      });
      op.graphqlErrors([new GraphQLError("You may not give the role 'x'", { extensions: { code: 'FORBIDDEN' } })]);
      await settle(area.fixture);
      expect(byTestId('users-error', area.page).textContent).toContain("You may not give the role 'x' (FORBIDDEN)");
    });

    it('changes the role only', async () => {
      await answerUsers([user()]);
      await area.click('users-edit');
      typeInto('users-field-role', 'member', area.page);
      await area.click('users-save');
      const op = area.controller.expectOne(UPDATE_USER);
      expect(op.operation.variables).toEqual({ id: 'u2', input: { role: 'member' } });
      op.flush({ data: { updateUser: user({ role: 'member' }) } });
      await settle(area.fixture);
      expect(byTestId('users-row', area.page).textContent).toContain('member');
    });

    it('deletes after confirmation', async () => {
      await answerUsers([user()]);
      await area.click('users-delete');
      area.controller.expectNone(DELETE_USER);
      await area.click('users-delete-confirm', document);
      area.controller.expectOne(DELETE_USER).flush({ data: { deleteUser: { __typename: 'User', id: 'u2' } } });
      await settle(area.fixture);
      expect(hasTestId('users-row', area.page)).toBe(false);
    });
  });

  it('shows a load error as text', async () => {
    signInAs('auditor');
    await area.render();
    area.controller.expectOne(ROLE_NAMES).flush({ data: { roles: [] } });
    area.controller.expectOne(USERS).graphqlErrors([new GraphQLError('boom')]);
    await settle(area.fixture);
    expect(byTestId('users-error', area.page).textContent).toContain('boom');
  });

  it('offers a member no user actions', async () => {
    signInAs('member', { id: 'u1' });
    await area.render();
    area.controller.expectNone(ROLE_NAMES);
    await answerUsers([user({ id: 'u1', role: 'member' })]);
    expect(
      hasTestId('users-new', area.page) || hasTestId('users-edit', area.page) || hasTestId('users-delete', area.page),
    ).toBe(false);
  });
});

describe('USERS_TRANSLATIONS', () => {
  it('has the same keys in English and Chinese, none empty', () => {
    expect(translationKeys(USERS_TRANSLATIONS['zh-CN'])).toEqual(translationKeys(USERS_TRANSLATIONS.en));
    expect([...emptyTexts(USERS_TRANSLATIONS.en), ...emptyTexts(USERS_TRANSLATIONS['zh-CN'])]).toEqual([]);
  });
});
