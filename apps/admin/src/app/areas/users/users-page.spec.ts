import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { ApolloTestingController } from 'apollo-angular/testing';
import { GraphQLError } from 'graphql';
import { signInAs } from '../../core/testing/sign-in-as';
import { KEYS_TRANSLATIONS } from '../keys/keys.i18n';
import {
  allByTestId,
  byTestId,
  configureAreaTest,
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
  let fixture: ComponentFixture<UsersPage>;
  let controller: ApolloTestingController;
  let page: HTMLElement;

  const render = async () => {
    fixture = TestBed.createComponent(UsersPage);
    page = fixture.nativeElement as HTMLElement;
    await settle(fixture);
  };
  const answerUsers = async (users: User[]) => {
    controller.expectOne(USERS).flush({ data: { users } });
    await settle(fixture);
  };
  const click = async (id: string, root: ParentNode = page) => {
    byTestId(id, root).click();
    await settle(fixture);
  };

  beforeEach(() => {
    configureAreaTest(UsersPage, KEYS_TRANSLATIONS, USERS_TRANSLATIONS);
    controller = TestBed.inject(ApolloTestingController);
  });
  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    controller.verify();
  });

  describe('as an admin', () => {
    beforeEach(async () => {
      signInAs('admin', { id: 'u-admin' });
      await render();
      controller.expectOne(ROLE_NAMES).flush({
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
      const [dana, owner, me] = allByTestId('users-row', page);
      expect(hasTestId('users-edit', dana) && hasTestId('users-delete', dana)).toBe(true);
      expect(hasTestId('users-edit', owner) || hasTestId('users-delete', owner)).toBe(false);
      expect(hasTestId('users-edit', me)).toBe(true);
      expect(hasTestId('users-delete', me)).toBe(false);
    });

    it('offers only the roles it may give', async () => {
      await answerUsers([]);
      expect(byTestId('users-empty', page).textContent).toContain('No users to show.');
      await click('users-new');
      const options = Array.from(byTestId<HTMLSelectElement>('users-field-role', page).options).map((o) => o.value);
      expect(options).toEqual(['admin', 'operator', 'auditor', 'member', 'key-auditor']);
    });

    it('checks the fields and sends nothing while one is wrong', async () => {
      await answerUsers([]);
      await click('users-new');
      typeInto('users-field-email', 'not-an-email', page);
      typeInto('users-field-password', 'short', page);
      typeInto('users-field-monthlyBudgetUsd', '-1', page);
      await click('users-save');
      const errors = Array.from(page.querySelectorAll('mat-error')).map((e) => e.textContent?.trim());
      expect(errors).toEqual(['Enter an email address.', 'At least 12 characters.', 'Enter an amount above 0.']);
      controller.expectNone(CREATE_USER);
    });

    it('creates an account with the variables the API takes', async () => {
      await answerUsers([]);
      await click('users-new');
      typeInto('users-field-email', 'new@example.com', page);
      typeInto('users-field-name', 'New', page);
      typeInto('users-field-role', 'operator', page);
      typeInto('users-field-password', 'twelve-chars-ok', page);
      typeInto('users-field-rpm', '100', page);
      await click('users-save');
      const op = controller.expectOne(CREATE_USER);
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
      await settle(fixture);
      expect(allByTestId('users-row', page)).toHaveLength(1);
    });

    it('leaves the password out for a single sign-on account and shows the API refusal as text', async () => {
      await answerUsers([]);
      await click('users-new');
      typeInto('users-field-email', 'sso@example.com', page);
      await click('users-save');
      const op = controller.expectOne(CREATE_USER);
      expect(op.operation.variables['input']).toEqual({
        email: 'sso@example.com',
        name: null,
        role: 'member',
        limits: null,
      });
      op.graphqlErrors([new GraphQLError("You may not give the role 'x'", { extensions: { code: 'FORBIDDEN' } })]);
      await settle(fixture);
      expect(byTestId('users-error', page).textContent).toContain("You may not give the role 'x' (FORBIDDEN)");
    });

    it('changes the role only', async () => {
      await answerUsers([user()]);
      await click('users-edit');
      typeInto('users-field-role', 'member', page);
      await click('users-save');
      const op = controller.expectOne(UPDATE_USER);
      expect(op.operation.variables).toEqual({ id: 'u2', input: { role: 'member' } });
      op.flush({ data: { updateUser: user({ role: 'member' }) } });
      await settle(fixture);
      expect(byTestId('users-row', page).textContent).toContain('member');
    });

    it('deletes after confirmation', async () => {
      await answerUsers([user()]);
      await click('users-delete');
      controller.expectNone(DELETE_USER);
      await click('users-delete-confirm', document);
      controller.expectOne(DELETE_USER).flush({ data: { deleteUser: { __typename: 'User', id: 'u2' } } });
      await settle(fixture);
      expect(hasTestId('users-row', page)).toBe(false);
    });
  });

  it('shows a load error as text', async () => {
    signInAs('auditor');
    await render();
    controller.expectOne(ROLE_NAMES).flush({ data: { roles: [] } });
    controller.expectOne(USERS).graphqlErrors([new GraphQLError('boom')]);
    await settle(fixture);
    expect(byTestId('users-error', page).textContent).toContain('boom');
  });

  it('offers a member no user actions', async () => {
    signInAs('member', { id: 'u1' });
    await render();
    controller.expectNone(ROLE_NAMES);
    await answerUsers([user({ id: 'u1', role: 'member' })]);
    expect(hasTestId('users-new', page) || hasTestId('users-edit', page) || hasTestId('users-delete', page)).toBe(
      false,
    );
  });
});

describe('USERS_TRANSLATIONS', () => {
  it('has the same keys in English and Chinese, none empty', () => {
    expect(translationKeys(USERS_TRANSLATIONS['zh-CN'])).toEqual(translationKeys(USERS_TRANSLATIONS.en));
    expect([...emptyTexts(USERS_TRANSLATIONS.en), ...emptyTexts(USERS_TRANSLATIONS['zh-CN'])]).toEqual([]);
  });
});
