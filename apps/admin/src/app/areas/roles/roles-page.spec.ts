import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { BUILT_IN_ROLE_DEFINITIONS } from '@synapse/rbac';
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
import { ruleProblems } from './role-rules';
import { RolesPage } from './roles-page';
import { CREATE_ROLE, DELETE_ROLE, ROLES, UPDATE_ROLE, type Role } from './roles.graphql';
import { ROLES_TRANSLATIONS } from './roles.i18n';

function builtIn(name: keyof typeof BUILT_IN_ROLE_DEFINITIONS): Role {
  const definition = BUILT_IN_ROLE_DEFINITIONS[name];
  return {
    __typename: 'Role',
    name,
    builtIn: true,
    description: definition.description,
    updatedAt: null,
    rules: definition.rules.map((rule) => ({
      __typename: 'PermissionRule',
      action: [rule.action].flat(),
      subject: [rule.subject].flat(),
      conditions: 'conditions' in rule ? rule.conditions : null,
      fields: 'fields' in rule ? [...(rule.fields as readonly string[])] : null,
      inverted: 'inverted' in rule ? rule.inverted : false,
      reason: 'reason' in rule ? rule.reason : null,
    })),
  } as Role;
}

const keyAuditor = {
  __typename: 'Role',
  name: 'key-auditor',
  builtIn: false,
  description: 'Reads keys.',
  updatedAt: '2026-11-01T00:00:00Z',
  rules: [
    {
      __typename: 'PermissionRule',
      action: ['read'],
      subject: ['GatewayKey', 'AuditEvent'],
      conditions: null,
      fields: null,
      inverted: false,
      reason: null,
    },
  ],
} as unknown as Role;

describe(RolesPage.name, () => {
  let fixture: ComponentFixture<RolesPage>;
  let controller: ApolloTestingController;
  let page: HTMLElement;

  const render = async (roles: Role[]) => {
    fixture = TestBed.createComponent(RolesPage);
    page = fixture.nativeElement as HTMLElement;
    await settle(fixture);
    controller.expectOne(ROLES).flush({ data: { roles } });
    await settle(fixture);
  };
  const click = async (id: string, root: ParentNode = page) => {
    byTestId(id, root).click();
    await settle(fixture);
  };
  /** Ticks or unticks a Material checkbox by its test id. */
  const tick = async (id: string) => {
    byTestId(id, page).querySelector('input')?.click();
    await settle(fixture);
  };

  beforeEach(() => {
    configureAreaTest(RolesPage, KEYS_TRANSLATIONS, ROLES_TRANSLATIONS);
    controller = TestBed.inject(ApolloTestingController);
  });
  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    controller.verify();
  });

  describe('as an owner', () => {
    beforeEach(() => signInAs('owner'));

    it('shows built-in roles read-only with their rules in words, custom roles editable', async () => {
      await render([builtIn('admin'), builtIn('member'), keyAuditor]);
      const [admin, member, custom] = allByTestId('roles-row', page);
      const words = (element: HTMLElement) => (element.textContent ?? '').replace(/\s+/g, ' ');
      expect(words(admin)).toContain('Forbid create, update, delete — roles');
      expect(words(admin)).toContain('Reason: Only an owner may create, change or delete roles.');
      expect(words(member)).toContain('Their own keys (userId = the signed-in user)');
      expect(words(member)).toContain('fields: name, models, endpoints, ipAllow, enabled, expiresAt');
      expect(hasTestId('roles-edit', admin) || hasTestId('roles-delete', admin)).toBe(false);
      expect(hasTestId('roles-edit', custom) && hasTestId('roles-delete', custom)).toBe(true);
      expect(hasTestId('roles-new', page)).toBe(true);
    });

    it('checks the form at the fields and sends nothing while it is wrong', async () => {
      await render([]);
      expect(byTestId('roles-empty', page).textContent).toContain('No roles to show.');
      await click('roles-new');
      typeInto('roles-field-name', 'owner', page);
      await tick('roles-field-rule-0-action-read');
      await click('roles-save');
      const text = page.textContent ?? '';
      expect(text).toContain('This is the name of a built-in role.');
      expect(text).toContain('Choose at least one action.');
      expect(text).toContain('Choose at least one subject.');
      controller.expectNone(CREATE_ROLE);
    });

    it('builds the rules from the form, offering conditions only where the API enforces them', async () => {
      await render([]);
      await click('roles-new');
      typeInto('roles-field-name', 'key-owner', page);
      typeInto('roles-field-description', 'Own keys, but no revoking.', page);
      await tick('roles-field-rule-0-action-manage');
      await tick('roles-field-rule-0-action-read');
      await tick('roles-field-rule-0-subject-Channel');
      expect(hasTestId('roles-field-rule-0-condition', page)).toBe(false);
      await tick('roles-field-rule-0-subject-Channel');
      await tick('roles-field-rule-0-subject-GatewayKey');
      const options = Array.from(byTestId<HTMLSelectElement>('roles-field-rule-0-condition', page).options).map(
        (o) => o.value,
      );
      expect(options).toEqual(['', 'own', 'teams']);
      typeInto('roles-field-rule-0-condition', 'own', page);

      await click('roles-add-rule');
      await tick('roles-field-rule-1-action-read');
      await tick('roles-field-rule-1-action-delete');
      await tick('roles-field-rule-1-subject-GatewayKey');
      byTestId('roles-field-rule-1-inverted', page).querySelector('button')?.click();
      await settle(fixture);
      typeInto('roles-field-rule-1-reason', 'The platform team revokes keys.', page);
      await click('roles-save');

      const op = controller.expectOne(CREATE_ROLE);
      expect(op.operation.variables).toEqual({
        input: {
          name: 'key-owner',
          description: 'Own keys, but no revoking.',
          rules: [
            { action: ['manage'], subject: ['GatewayKey'], conditions: { userId: '${user.id}' } },
            { action: ['delete'], subject: ['GatewayKey'], inverted: true, reason: 'The platform team revokes keys.' },
          ],
        },
      });
      op.graphqlErrors([
        new GraphQLError('manage GatewayKey: you do not hold it yourself', { extensions: { code: 'FORBIDDEN' } }),
      ]);
      await settle(fixture);
      expect(byTestId('roles-error', page).textContent).toContain(
        'manage GatewayKey: you do not hold it yourself (FORBIDDEN)',
      );
    });

    it('refuses fields the API would not enforce, at the rule', async () => {
      await render([]);
      await click('roles-new');
      typeInto('roles-field-name', 'renamer', page);
      await tick('roles-field-rule-0-action-read');
      await tick('roles-field-rule-0-action-update');
      await tick('roles-field-rule-0-subject-User');
      typeInto('roles-field-rule-0-fields', 'name, password', page);
      await click('roles-save');
      expect(page.textContent).toContain('Unknown fields: password (known: name, role, limits).');
      controller.expectNone(CREATE_ROLE);
    });

    it('keeps conditions it cannot express, checks them with @synapse/rbac and sends only valid rules', async () => {
      const stored = {
        ...keyAuditor,
        rules: [{ ...keyAuditor.rules[0], subject: ['GatewayKey'], conditions: { userId: '${user.email}' } }],
      } as Role;
      await render([stored]);
      await click('roles-edit');
      expect(byTestId<HTMLSelectElement>('roles-field-rule-0-condition', page).value).toBe('custom');
      await click('roles-save');
      expect(byTestId('roles-problems', page).textContent).toContain("unknown placeholder in '${user.email}'");
      controller.expectNone(UPDATE_ROLE);

      typeInto('roles-field-rule-0-condition', '', page);
      await click('roles-save');
      const op = controller.expectOne(UPDATE_ROLE);
      expect(op.operation.variables).toEqual({
        name: 'key-auditor',
        input: { description: 'Reads keys.', rules: [{ action: ['read'], subject: ['GatewayKey'] }] },
      });
      op.flush({
        data: { updateRole: { ...keyAuditor, rules: [{ ...keyAuditor.rules[0], subject: ['GatewayKey'] }] } },
      });
      await settle(fixture);
      expect(hasTestId('roles-save', page)).toBe(false);
    });

    it('deletes a custom role after confirmation, showing a refusal as text', async () => {
      await render([keyAuditor]);
      await click('roles-delete');
      await click('roles-delete-confirm', document);
      controller
        .expectOne(DELETE_ROLE)
        .graphqlErrors([new GraphQLError('an account holds the role', { extensions: { code: 'BAD_USER_INPUT' } })]);
      await settle(fixture);
      expect(byTestId('roles-error', page).textContent).toContain('an account holds the role (BAD_USER_INPUT)');
    });
  });

  it('offers an admin no role editing', async () => {
    signInAs('admin');
    await render([builtIn('owner'), keyAuditor]);
    expect(allByTestId('roles-row', page)).toHaveLength(2);
    expect(hasTestId('roles-new', page) || hasTestId('roles-edit', page) || hasTestId('roles-delete', page)).toBe(
      false,
    );
  });

  it('shows a load error as text', async () => {
    signInAs('member');
    fixture = TestBed.createComponent(RolesPage);
    page = fixture.nativeElement as HTMLElement;
    await settle(fixture);
    controller
      .expectOne(ROLES)
      .graphqlErrors([new GraphQLError('You may not read Role', { extensions: { code: 'FORBIDDEN' } })]);
    await settle(fixture);
    expect(byTestId('roles-error', page).textContent).toContain('You may not read Role (FORBIDDEN)');
    expect(hasTestId('roles-new', page)).toBe(false);
  });
});

describe(ruleProblems.name, () => {
  it('lists what @synapse/rbac refuses, by rule number', () => {
    expect(
      ruleProblems([
        { action: ['read'], subject: ['GatewayKey'] },
        { action: ['read'], subject: ['Channel'], conditions: { userId: '${user.id}' } },
      ]),
    ).toEqual([expect.stringMatching(/^#2 subject: conditions on 'Channel' are not enforced/)]);
  });
});

describe('ROLES_TRANSLATIONS', () => {
  it('has the same keys in English and Chinese, none empty', () => {
    expect(translationKeys(ROLES_TRANSLATIONS['zh-CN'])).toEqual(translationKeys(ROLES_TRANSLATIONS.en));
    expect([...emptyTexts(ROLES_TRANSLATIONS.en), ...emptyTexts(ROLES_TRANSLATIONS['zh-CN'])]).toEqual([]);
  });
});
