import { Clipboard } from '@angular/cdk/clipboard';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { ApolloTestingController } from 'apollo-angular/testing';
import { GraphQLError } from 'graphql';
import { signInAs } from '../../core/testing/sign-in-as';
import { allByTestId, byTestId, configureAreaTest, hasTestId, settle, typeInto } from '../../core/testing/area-testing';
import { KeysPage } from './keys-page';
import {
  CREATE_GATEWAY_KEY,
  GATEWAY_KEYS,
  KEY_OWNERS_TEAMS,
  KEY_OWNERS_USERS,
  KEY_USAGE,
  REVOKE_GATEWAY_KEY,
  ROTATE_GATEWAY_KEY,
  UPDATE_GATEWAY_KEY,
  type GatewayKey,
} from './keys.graphql';
import { KEYS_TRANSLATIONS } from './keys.i18n';

function key(overrides: Partial<GatewayKey> = {}): GatewayKey {
  return {
    __typename: 'GatewayKey',
    id: 'k1',
    name: 'batch-jobs',
    prefix: 'sk-abc',
    userId: 'u-test',
    teamId: null,
    models: ['*'],
    endpoints: null,
    ipAllow: null,
    enabled: true,
    captureBodies: false,
    expiresAt: null,
    revokedAt: null,
    previousValidUntil: null,
    createdAt: '2026-11-01T00:00:00Z',
    limits: null,
    spend: null,
    ...overrides,
  } as GatewayKey;
}

describe(KeysPage.name, () => {
  let fixture: ComponentFixture<KeysPage>;
  let controller: ApolloTestingController;
  let page: HTMLElement;

  const render = async () => {
    fixture = TestBed.createComponent(KeysPage);
    page = fixture.nativeElement as HTMLElement;
    await settle(fixture);
  };
  const answerKeys = async (keys: GatewayKey[]) => {
    controller.expectOne(GATEWAY_KEYS).flush({ data: { gatewayKeys: keys } });
    await settle(fixture);
  };
  const answerOwners = async () => {
    controller.expectOne(KEY_OWNERS_USERS).flush({
      data: { users: [{ __typename: 'User', id: 'u2', email: 'dana@example.com', name: 'Dana' }] },
    });
    controller
      .expectOne(KEY_OWNERS_TEAMS)
      .flush({ data: { teams: [{ __typename: 'Team', id: 't1', name: 'ml-team' }] } });
    await settle(fixture);
  };
  const click = async (id: string, root: ParentNode = page) => {
    byTestId(id, root).click();
    await settle(fixture);
  };

  beforeEach(() => {
    configureAreaTest(KeysPage, KEYS_TRANSLATIONS);
    controller = TestBed.inject(ApolloTestingController);
  });

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    controller.verify();
  });

  describe('as an admin', () => {
    beforeEach(async () => {
      signInAs('admin');
      await render();
      await answerOwners();
    });

    it('lists the keys with owner, status and spend', async () => {
      await answerKeys([
        key({ userId: 'u2', spend: { todayUsd: 1.5, monthUsd: 12.25 } as GatewayKey['spend'] }),
        key({ id: 'k2', name: 'team-key', userId: null, teamId: 't1', revokedAt: '2026-11-02T00:00:00Z' }),
      ]);
      const rows = allByTestId('keys-row', page);
      expect(rows).toHaveLength(2);
      expect(rows[0].textContent).toContain('Dana <dana@example.com>');
      expect(rows[0].textContent).toContain('Today $1.50');
      expect(rows[0].textContent).toContain('Active');
      expect(rows[1].textContent).toContain('Team ml-team');
      expect(rows[1].textContent).toContain('Revoked');
      // A revoked key offers nothing more.
      expect(allByTestId('keys-revoke', page)).toHaveLength(1);
    });

    it('shows a loading state, then an empty state', async () => {
      expect(page.querySelector('mat-progress-bar')).not.toBeNull();
      expect(hasTestId('keys-empty', page)).toBe(false);
      await answerKeys([]);
      expect(page.querySelector('mat-progress-bar')).toBeNull();
      expect(byTestId('keys-empty', page).textContent).toContain('No gateway keys yet.');
    });

    it('shows a GraphQL error as text', async () => {
      controller
        .expectOne(GATEWAY_KEYS)
        .graphqlErrors([new GraphQLError('You may not read GatewayKey', { extensions: { code: 'FORBIDDEN' } })]);
      await settle(fixture);
      expect(byTestId('keys-error', page).textContent).toContain('You may not read GatewayKey (FORBIDDEN)');
    });

    it('checks every field where it is typed and sends nothing while one is wrong', async () => {
      await answerKeys([]);
      await click('keys-new');
      typeInto('keys-field-name', '', page);
      typeInto('keys-field-ipAllow', '10.0.0.0/8\n10.0.0.300/8', page);
      typeInto('keys-field-dailyBudgetUsd', '-5', page);
      typeInto('keys-field-rpm', '1.5', page);
      await click('keys-save');
      const errors = Array.from(page.querySelectorAll('mat-error')).map((e) => e.textContent?.trim());
      expect(errors).toEqual(
        expect.arrayContaining([
          'Required.',
          '“10.0.0.300/8” is not a CIDR block or IP address.',
          'Enter an amount above 0.',
          'Enter a whole number.',
        ]),
      );
      controller.expectNone(CREATE_GATEWAY_KEY);
    });

    it('creates a key and shows its secret once, with a copy button', async () => {
      await answerKeys([]);
      await click('keys-new');
      typeInto('keys-field-name', 'ci', page);
      typeInto('keys-field-owner', 'team:t1', page);
      typeInto('keys-field-models', 'gpt-4o*, text-embedding-*', page);
      byTestId('keys-field-endpoint-embeddings', page).querySelector('input')?.click();
      typeInto('keys-field-ipAllow', '10.0.0.0/8\n2001:db8::/32', page);
      typeInto('keys-field-rpm', '600', page);
      typeInto('keys-field-monthlyBudgetUsd', '50', page);
      await click('keys-save');
      const op = controller.expectOne(CREATE_GATEWAY_KEY);
      expect(op.operation.variables).toEqual({
        input: {
          name: 'ci',
          userId: null,
          teamId: 't1',
          models: ['gpt-4o*', 'text-embedding-*'],
          endpoints: ['embeddings'],
          ipAllow: ['10.0.0.0/8', '2001:db8::/32'],
          expiresAt: null,
          enabled: true,
          captureBodies: false,
          limits: { rpm: 600, monthlyBudgetUsd: 50 },
        },
      });
      op.flush({
        data: {
          createGatewayKey: {
            __typename: 'GatewayKeySecret',
            secret: 'sk-secret-once',
            key: key({ name: 'ci', teamId: 't1', userId: null }),
          },
        },
      });
      await settle(fixture);
      expect(byTestId('keys-secret').textContent).toBe('sk-secret-once');
      expect(document.body.textContent).toContain('it will not be shown again');
      const clipboard = TestBed.inject(Clipboard);
      const copy = jest.spyOn(clipboard, 'copy').mockReturnValue(true);
      await click('keys-copy', document);
      expect(copy).toHaveBeenCalledWith('sk-secret-once');
      expect(byTestId('keys-copy').textContent).toContain('Copied');
      expect(allByTestId('keys-row', page)).toHaveLength(1);

      await click('keys-secret-done', document);
      await settle(fixture);
      expect(hasTestId('keys-secret')).toBe(false);
      expect(document.body.textContent).not.toContain('sk-secret-once');
    }, 15_000); // the longest flow of the page; 5 s was exceeded on the shared 2-core machine under load

    it('shows the API refusal of a creation as text next to the form', async () => {
      await answerKeys([]);
      await click('keys-new');
      typeInto('keys-field-name', 'ci', page);
      await click('keys-save');
      controller
        .expectOne(CREATE_GATEWAY_KEY)
        .graphqlErrors([
          new GraphQLError("name: a key named 'ci' already exists", { extensions: { code: 'BAD_USER_INPUT' } }),
        ]);
      await settle(fixture);
      expect(byTestId('keys-error', page).textContent).toContain(
        "name: a key named 'ci' already exists (BAD_USER_INPUT)",
      );
    });

    it('edits a key, sending only what changed', async () => {
      await answerKeys([key({ limits: { rpm: 60 } as GatewayKey['limits'] })]);
      await click('keys-edit');
      expect(byTestId<HTMLInputElement>('keys-field-rpm', page).value).toBe('60');
      typeInto('keys-field-rpm', '', page);
      typeInto('keys-field-tpm', '1000', page);
      typeInto('keys-field-ipAllow', '192.168.1.7', page);
      await click('keys-save');
      const op = controller.expectOne(UPDATE_GATEWAY_KEY);
      expect(op.operation.variables).toEqual({ id: 'k1', input: { ipAllow: ['192.168.1.7'], limits: { tpm: 1000 } } });
      op.flush({ data: { updateGatewayKey: key({ ipAllow: ['192.168.1.7'] }) } });
      await settle(fixture);
      expect(hasTestId('keys-save', page)).toBe(false);
    });

    it('rotates with the chosen grace and shows the new secret once', async () => {
      await answerKeys([key()]);
      await click('keys-rotate');
      await click('keys-rotate-confirm', document);
      const op = controller.expectOne(ROTATE_GATEWAY_KEY);
      expect(op.operation.variables).toEqual({ id: 'k1', graceSeconds: 3600 });
      op.flush({
        data: {
          rotateGatewayKey: {
            __typename: 'GatewayKeySecret',
            secret: 'sk-rotated',
            key: key({ previousValidUntil: '2099-01-01T00:00:00Z' }),
          },
        },
      });
      await settle(fixture);
      expect(byTestId('keys-secret').textContent).toBe('sk-rotated');
    });

    it('revokes only after confirmation', async () => {
      await answerKeys([key()]);
      await click('keys-revoke');
      expect(document.body.textContent).toContain('Revoke batch-jobs?');
      controller.expectNone(REVOKE_GATEWAY_KEY);
      await click('keys-revoke-confirm', document);
      controller
        .expectOne(REVOKE_GATEWAY_KEY)
        .flush({ data: { revokeGatewayKey: key({ revokedAt: '2026-12-04T00:00:00Z' }) } });
      await settle(fixture);
      expect(byTestId('keys-row', page).textContent).toContain('Revoked');
    });
  });

  describe('as a member', () => {
    beforeEach(async () => {
      signInAs('member', { id: 'u1', teamIds: ['t1'] });
      await render();
      // A member reads no users; their teams only.
      controller.expectNone(KEY_OWNERS_USERS);
      controller
        .expectOne(KEY_OWNERS_TEAMS)
        .flush({ data: { teams: [{ __typename: 'Team', id: 't1', name: 'ml-team' }] } });
    });

    it('offers actions on their own keys only, not on their team’s', async () => {
      await answerKeys([key({ userId: 'u1' }), key({ id: 'k2', name: 'team-key', userId: null, teamId: 't1' })]);
      const [own, team] = allByTestId('keys-row', page);
      expect(hasTestId('keys-edit', own) && hasTestId('keys-rotate', own) && hasTestId('keys-revoke', own)).toBe(true);
      expect(hasTestId('keys-edit', team) || hasTestId('keys-rotate', team) || hasTestId('keys-revoke', team)).toBe(
        false,
      );
    });

    it('creates keys without choosing an owner', async () => {
      await answerKeys([]);
      await click('keys-new');
      expect(hasTestId('keys-field-owner', page)).toBe(false);
      typeInto('keys-field-name', 'mine', page);
      await click('keys-save');
      const input = controller.expectOne(CREATE_GATEWAY_KEY).operation.variables['input'] as Record<string, unknown>;
      expect(input).not.toHaveProperty('userId');
      expect(input).not.toHaveProperty('teamId');
    });
  });

  it('offers no new key to an auditor', async () => {
    signInAs('auditor');
    await render();
    await answerOwners();
    await answerKeys([key({ userId: 'u2' })]);
    expect(hasTestId('keys-new', page)).toBe(false);
    expect(hasTestId('keys-edit', page) || hasTestId('keys-revoke', page)).toBe(false);
  });
});

describe('KeysPage usage', () => {
  it('shows a key’s usage over the last 30 days with totals', async () => {
    configureAreaTest(KeysPage, KEYS_TRANSLATIONS);
    const controller = TestBed.inject(ApolloTestingController);
    signInAs('member', { id: 'u1' });
    const fixture = TestBed.createComponent(KeysPage);
    const page = fixture.nativeElement as HTMLElement;
    await settle(fixture);
    controller.expectOne(KEY_OWNERS_TEAMS).flush({ data: { teams: [] } });
    controller.expectOne(GATEWAY_KEYS).flush({
      data: {
        gatewayKeys: [key({ userId: 'u1', spend: { __typename: 'Spend', todayUsd: 0.5, monthUsd: 3 } as never })],
      },
    });
    await settle(fixture);
    byTestId('keys-usage', page).click();
    await settle(fixture);
    const op = controller.expectOne(KEY_USAGE);
    expect(op.operation.variables['keyId']).toBe('k1');
    const from = new Date(op.operation.variables['from'] as string);
    expect(Date.now() - from.getTime()).toBeLessThan(31 * 86_400_000);
    op.flush({
      data: {
        usageSeries: [
          {
            __typename: 'UsagePoint',
            bucketStart: '2026-12-03T00:00:00Z',
            requests: 10,
            errors: 1,
            totalTokens: 1000,
            costUsd: 0.25,
          },
          {
            __typename: 'UsagePoint',
            bucketStart: '2026-12-04T00:00:00Z',
            requests: 5,
            errors: 0,
            totalTokens: 500,
            costUsd: 0.5,
          },
        ],
      },
    });
    await settle(fixture);
    const total = Array.from(byTestId('keys-usage-total', page).children).map((cell) => cell.textContent?.trim());
    expect(total).toEqual(['Last 30 days', '15', '1', '1,500', '0.75']);
    expect(byTestId('keys-usage-panel', page).textContent).toContain('Today $0.50');
    controller.verify();
  });
});
