import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { ApolloTestingController } from 'apollo-angular/testing';
import { GraphQLError } from 'graphql';
import { NamesService } from '../../core/names.service';
import { signInAs } from '../../core/testing/sign-in-as';
import { KEYS_TRANSLATIONS } from '../keys/keys.i18n';
import {
  allByTestId,
  byTestId,
  configureAreaTestWith,
  hasTestId,
  settle,
  typeInto,
} from '../keys/testing/area-testing';
import {
  ALERT_RULES,
  CREATE_ALERT_RULE,
  DELETE_ALERT_RULE,
  NOTIFICATION_CHANNELS,
  SCOPE_CHANNELS,
  SCOPE_KEYS,
  SCOPE_ROUTES,
  SCOPE_TEAMS,
  UPDATE_ALERT_RULE,
  type AlertRule,
  type AlertState,
  type NotificationChannel,
} from './alerts.graphql';
import { ALERTS_TRANSLATIONS } from './alerts.i18n';
import { RulesPage } from './rules-page';

export function alertRule(overrides: Partial<AlertRule> = {}): AlertRule {
  return {
    __typename: 'AlertRule',
    id: 'r1',
    name: 'errors-gpt-4o',
    description: null,
    kind: 'ERROR_RATE',
    threshold: 5,
    percentile: null,
    budgetPeriod: null,
    windowSeconds: 300,
    forSeconds: 120,
    minRequests: 20,
    repeatIntervalSeconds: 14400,
    scope: { __typename: 'AlertScope', kind: 'MODEL', value: 'gpt-4o' },
    notificationChannelIds: [],
    enabled: true,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    ...overrides,
  } as AlertRule;
}

function state(overrides: Partial<AlertState>): AlertState {
  return {
    __typename: 'AlertState',
    ruleId: 'r1',
    ruleName: 'errors-gpt-4o',
    status: 'INACTIVE',
    since: null,
    firedAt: null,
    resolvedAt: null,
    value: null,
    summary: null,
    evaluatedAt: '2026-12-04T10:00:00Z',
    ...overrides,
  } as AlertState;
}

export function notificationChannel(overrides: Partial<NotificationChannel> = {}): NotificationChannel {
  return {
    __typename: 'NotificationChannel',
    id: 'n1',
    name: 'ops-slack',
    kind: 'SLACK',
    enabled: true,
    secretHint: 'hooks.slack.com …XXXX',
    signed: false,
    smtp: null,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    ...overrides,
  } as NotificationChannel;
}

describe(RulesPage.name, () => {
  let fixture: ComponentFixture<RulesPage>;
  let controller: ApolloTestingController;
  let page: HTMLElement;

  const render = async () => {
    fixture = TestBed.createComponent(RulesPage);
    page = fixture.nativeElement as HTMLElement;
    await settle(fixture);
  };
  const answerRules = async (rules: AlertRule[], states: AlertState[] = []) => {
    controller.expectOne(ALERT_RULES).flush({ data: { alertRules: rules, alertStates: states } });
    await settle(fixture);
  };
  const answerChannels = async (channels: NotificationChannel[] = []) => {
    controller.expectOne(NOTIFICATION_CHANNELS).flush({ data: { notificationChannels: channels } });
    await settle(fixture);
  };
  const click = async (id: string, root: ParentNode = page) => {
    byTestId(id, root).click();
    await settle(fixture);
  };
  const type = async (id: string, value: string) => {
    typeInto(id, value, page);
    await settle(fixture);
  };
  const fieldErrors = () => Array.from(page.querySelectorAll('mat-error')).map((e) => e.textContent?.trim());

  beforeEach(() => {
    configureAreaTestWith(
      RulesPage,
      [NamesService, provideHttpClient(), provideHttpClientTesting()],
      ALERTS_TRANSLATIONS,
      KEYS_TRANSLATIONS,
    );
    controller = TestBed.inject(ApolloTestingController);
  });

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    controller.verify();
  });

  describe('as an operator', () => {
    beforeEach(async () => {
      signInAs('operator');
      await render();
      await answerChannels([notificationChannel(), notificationChannel({ id: 'n2', name: 'ops-mail', kind: 'EMAIL' })]);
    });

    it('lists the rules with their condition, scope and state', async () => {
      await answerRules(
        [
          alertRule({ notificationChannelIds: ['n1', 'n2'] }),
          alertRule({
            id: 'r2',
            name: 'slow-openai',
            kind: 'LATENCY',
            threshold: 4000,
            percentile: 99,
            scope: { kind: 'ALL', value: null },
            enabled: false,
          }),
          alertRule({
            id: 'r3',
            name: 'silent',
            kind: 'NO_TRAFFIC',
            threshold: null,
            scope: { kind: 'ALL', value: null },
          }),
          alertRule({
            id: 'r4',
            name: 'never-run',
            kind: 'SPEND_CHANGE',
            threshold: 100,
            scope: { kind: 'ROUTE', value: 'chat' },
          }),
        ],
        [
          state({ status: 'FIRING', since: '2026-12-04T09:58:00Z', summary: 'error rate 12.5% ≥ 5%' }),
          state({ ruleId: 'r2', ruleName: 'slow-openai', status: 'RESOLVED' }),
          state({ ruleId: 'r3', ruleName: 'silent', status: 'PENDING', since: '2026-12-04T09:59:00Z' }),
        ],
      );
      const rows = allByTestId('alerts-row', page);
      expect(rows).toHaveLength(4);
      expect(rows[0].textContent).toContain('Error rate');
      expect(rows[0].textContent).toContain('Model gpt-4o');
      expect(rows[0].textContent).toContain('≥ 5%');
      expect(rows[0].textContent).toContain('at least 20 calls');
      expect(rows[0].textContent).toContain('ops-slack, ops-mail');
      expect(byTestId('alerts-state', rows[0]).textContent?.trim()).toBe('Firing');
      expect(rows[0].textContent).toContain('error rate 12.5% ≥ 5%');
      expect(rows[1].textContent).toContain('p99 ≥ 4000 ms');
      expect(byTestId('alerts-state', rows[1]).textContent?.trim()).toBe('Resolved');
      expect(rows[1].textContent).toContain('No');
      expect(rows[2].textContent).toContain('no call in the window');
      expect(byTestId('alerts-state', rows[2]).textContent?.trim()).toBe('Pending');
      expect(rows[3].textContent).toContain('Route chat');
      expect(byTestId('alerts-state', rows[3]).textContent?.trim()).toBe('Not evaluated yet');
      expect(allByTestId('alerts-edit', page)).toHaveLength(4);
      expect(allByTestId('alerts-delete', page)).toHaveLength(4);
    });

    it('shows a loading state, then an empty state', async () => {
      expect(page.querySelector('mat-progress-bar')).not.toBeNull();
      expect(hasTestId('alerts-empty', page)).toBe(false);
      await answerRules([]);
      expect(page.querySelector('mat-progress-bar')).toBeNull();
      expect(byTestId('alerts-empty', page).textContent).toContain('No alert rules yet.');
    });

    it('shows a GraphQL error as text', async () => {
      controller
        .expectOne(ALERT_RULES)
        .graphqlErrors([new GraphQLError('You may not read Alert', { extensions: { code: 'FORBIDDEN' } })]);
      await settle(fixture);
      expect(byTestId('alerts-error', page).textContent).toContain('You may not read Alert (FORBIDDEN)');
    });

    it('saves a valid rule from a name and the defaults', async () => {
      await answerRules([]);
      await click('alerts-new');
      expect(byTestId<HTMLSelectElement>('alerts-field-kind', page).value).toBe('ERROR_RATE');
      expect(byTestId<HTMLInputElement>('alerts-field-threshold', page).value).toBe('5');
      await type('alerts-field-name', 'errors-all');
      await click('alerts-save');
      const op = controller.expectOne(CREATE_ALERT_RULE);
      expect(op.operation.variables).toEqual({
        input: {
          name: 'errors-all',
          kind: 'ERROR_RATE',
          threshold: 5,
          windowSeconds: 300,
          forSeconds: 0,
          minRequests: 1,
          repeatIntervalSeconds: 14400,
          scope: { kind: 'ALL' },
          notificationChannelIds: [],
          enabled: true,
        },
      });
      op.flush({ data: { createAlertRule: alertRule({ id: 'r9', name: 'errors-all' }) } });
      await settle(fixture);
      expect(allByTestId('alerts-row', page)).toHaveLength(1);
      expect(hasTestId('alerts-save', page)).toBe(false);
    });

    describe('checks each kind’s fields where they are typed and sends nothing while one is wrong', () => {
      beforeEach(async () => {
        await answerRules([]);
        await click('alerts-new');
        await type('alerts-field-name', 'rule-1');
      });

      it('error rate: name, threshold %, window, minimum calls', async () => {
        await type('alerts-field-name', 'bad name!');
        await type('alerts-field-threshold', '150');
        await type('alerts-field-window', '5 minutes');
        await type('alerts-field-minRequests', '1.5');
        await type('alerts-field-for', '-1');
        await click('alerts-save');
        expect(fieldErrors()).toEqual([
          'Use 1-64 letters, digits, dots, dashes or underscores.',
          'Enter a percentage above 0 and at most 100.',
          'Write a duration such as 300, 30s, 5m, 1h or 1d.',
          'Enter a whole number.',
          'Write a duration such as 300, 30s, 5m, 1h or 1d.',
        ]);
        controller.expectNone(CREATE_ALERT_RULE);
      });

      it('latency: percentile and threshold in ms', async () => {
        await type('alerts-field-kind', 'LATENCY');
        expect(page.textContent).toContain('Threshold (ms)');
        await type('alerts-field-percentile', '0');
        await type('alerts-field-threshold', '');
        await click('alerts-save');
        expect(fieldErrors()).toEqual(['Required.', 'Enter a percentile from 1 to 100.']);
        controller.expectNone(CREATE_ALERT_RULE);
      });

      it('ttft: a positive threshold, a window of at least 10 s', async () => {
        await type('alerts-field-kind', 'TTFT');
        await type('alerts-field-threshold', '-1');
        await type('alerts-field-window', '5s');
        await click('alerts-save');
        expect(fieldErrors()).toEqual(['Enter a number above 0.', 'Enter a duration from 10s to 31d.']);
        controller.expectNone(CREATE_ALERT_RULE);
      });

      it('budget: a number, and a target for a key scope', async () => {
        await type('alerts-field-kind', 'BUDGET');
        expect(hasTestId('alerts-field-window', page)).toBe(false);
        expect(hasTestId('alerts-field-minRequests', page)).toBe(false);
        const scopes = Array.from(byTestId<HTMLSelectElement>('alerts-field-scopeKind', page).options).map(
          (o) => o.value,
        );
        expect(scopes).toEqual(['ALL', 'KEY', 'TEAM']);
        await type('alerts-field-threshold', 'abc');
        await type('alerts-field-scopeKind', 'KEY');
        controller
          .expectOne(SCOPE_KEYS)
          .flush({ data: { gatewayKeys: [{ __typename: 'GatewayKey', id: 'k1', name: 'ci' }] } });
        await settle(fixture);
        await click('alerts-save');
        expect(fieldErrors()).toEqual(['Enter a number.', 'Required.']);
        controller.expectNone(CREATE_ALERT_RULE);
      });

      it('channel health: no threshold, scopes of its own, a typed model is required', async () => {
        await type('alerts-field-kind', 'CHANNEL_HEALTH');
        expect(hasTestId('alerts-field-threshold', page)).toBe(false);
        const scopes = Array.from(byTestId<HTMLSelectElement>('alerts-field-scopeKind', page).options).map(
          (o) => o.value,
        );
        expect(scopes).toEqual(['ALL', 'CHANNEL', 'MODEL', 'ROUTE']);
        await type('alerts-field-scopeKind', 'MODEL');
        await click('alerts-save');
        expect(fieldErrors()).toEqual(['Required.']);
        controller.expectNone(CREATE_ALERT_RULE);
      });

      it('spend change and no traffic: window and repeat interval', async () => {
        await type('alerts-field-kind', 'SPEND_CHANGE');
        await type('alerts-field-window', '40d');
        await click('alerts-save');
        expect(fieldErrors()).toEqual(['Enter a duration from 10s to 31d.']);
        await type('alerts-field-kind', 'NO_TRAFFIC');
        expect(hasTestId('alerts-field-threshold', page)).toBe(false);
        await type('alerts-field-window', '');
        await type('alerts-field-repeatInterval', '4 hours');
        await click('alerts-save');
        expect(fieldErrors()).toEqual(['Required.', 'Write a duration such as 300, 30s, 5m, 1h or 1d.']);
        controller.expectNone(CREATE_ALERT_RULE);
      });
    });

    describe('sends what the API takes for each kind', () => {
      beforeEach(async () => {
        await answerRules([]);
        await click('alerts-new');
      });

      const common = {
        forSeconds: 0,
        repeatIntervalSeconds: 14400,
        notificationChannelIds: [],
        enabled: true,
      };

      it('latency on a channel picked from the list, notifying two channels', async () => {
        await type('alerts-field-name', 'slow-openai');
        await type('alerts-field-kind', 'LATENCY');
        expect(byTestId<HTMLInputElement>('alerts-field-threshold', page).value).toBe('3000');
        await type('alerts-field-percentile', '99');
        await type('alerts-field-threshold', '4000');
        await type('alerts-field-scopeKind', 'CHANNEL');
        controller.expectOne(SCOPE_CHANNELS).flush({
          data: {
            channels: [
              { __typename: 'Channel', id: 'c2', name: 'openai-main' },
              { __typename: 'Channel', id: 'c1', name: 'azure' },
            ],
          },
        });
        await settle(fixture);
        const options = Array.from(byTestId<HTMLSelectElement>('alerts-field-scopeValue', page).options).map(
          (o) => o.text,
        );
        expect(options.slice(1)).toEqual(['azure', 'openai-main']);
        await type('alerts-field-scopeValue', 'c2');
        await type('alerts-field-for', '2m');
        await type('alerts-field-repeatInterval', '1h');
        byTestId('alerts-field-channel-ops-slack', page).querySelector('input')?.click();
        byTestId('alerts-field-channel-ops-mail', page).querySelector('input')?.click();
        await settle(fixture);
        await click('alerts-save');
        expect(controller.expectOne(CREATE_ALERT_RULE).operation.variables).toEqual({
          input: {
            name: 'slow-openai',
            kind: 'LATENCY',
            threshold: 4000,
            percentile: 99,
            windowSeconds: 300,
            forSeconds: 120,
            minRequests: 1,
            repeatIntervalSeconds: 3600,
            scope: { kind: 'CHANNEL', value: 'c2' },
            notificationChannelIds: ['n1', 'n2'],
            enabled: true,
          },
        });
      });

      it('keeps a threshold typed before the kind was chosen', async () => {
        await type('alerts-field-name', 'slow');
        await type('alerts-field-threshold', '2500');
        await type('alerts-field-kind', 'LATENCY');
        expect(byTestId<HTMLInputElement>('alerts-field-threshold', page).value).toBe('2500');
        await click('alerts-save');
        expect(controller.expectOne(CREATE_ALERT_RULE).operation.variables['input']).toMatchObject({
          kind: 'LATENCY',
          threshold: 2500,
          percentile: 95,
        });
      });

      it('time to first token on a typed model', async () => {
        await type('alerts-field-name', 'first-token');
        await type('alerts-field-kind', 'TTFT');
        await type('alerts-field-window', '10m');
        await type('alerts-field-minRequests', '20');
        await type('alerts-field-scopeKind', 'MODEL');
        await type('alerts-field-scopeValue', 'gpt-4o');
        await click('alerts-save');
        expect(controller.expectOne(CREATE_ALERT_RULE).operation.variables).toEqual({
          input: {
            ...common,
            name: 'first-token',
            kind: 'TTFT',
            threshold: 1500,
            percentile: 95,
            windowSeconds: 600,
            minRequests: 20,
            scope: { kind: 'MODEL', value: 'gpt-4o' },
          },
        });
      });

      it('a monthly budget of a team', async () => {
        await type('alerts-field-name', 'research-budget');
        await type('alerts-field-kind', 'BUDGET');
        await type('alerts-field-budgetPeriod', 'MONTH');
        await type('alerts-field-scopeKind', 'TEAM');
        controller
          .expectOne(SCOPE_TEAMS)
          .flush({ data: { teams: [{ __typename: 'Team', id: 't1', name: 'research' }] } });
        await settle(fixture);
        await type('alerts-field-scopeValue', 't1');
        await click('alerts-save');
        expect(controller.expectOne(CREATE_ALERT_RULE).operation.variables).toEqual({
          input: {
            ...common,
            name: 'research-budget',
            kind: 'BUDGET',
            threshold: 80,
            budgetPeriod: 'MONTH',
            windowSeconds: 300,
            minRequests: 1,
            scope: { kind: 'TEAM', value: 't1' },
          },
        });
      });

      it('channel health of a route, without a threshold', async () => {
        await type('alerts-field-name', 'chat-health');
        await type('alerts-field-kind', 'CHANNEL_HEALTH');
        await type('alerts-field-scopeKind', 'ROUTE');
        controller.expectOne(SCOPE_ROUTES).flush({ data: { routes: [{ __typename: 'Route', name: 'chat' }] } });
        await settle(fixture);
        await type('alerts-field-scopeValue', 'chat');
        await click('alerts-save');
        expect(controller.expectOne(CREATE_ALERT_RULE).operation.variables).toEqual({
          input: {
            ...common,
            name: 'chat-health',
            kind: 'CHANNEL_HEALTH',
            windowSeconds: 300,
            minRequests: 1,
            scope: { kind: 'ROUTE', value: 'chat' },
          },
        });
      });

      it('spend change over a day and no traffic over an hour', async () => {
        await type('alerts-field-name', 'spend-spike');
        await type('alerts-field-kind', 'SPEND_CHANGE');
        await type('alerts-field-window', '1d');
        await click('alerts-save');
        const op = controller.expectOne(CREATE_ALERT_RULE);
        expect(op.operation.variables['input']).toEqual({
          ...common,
          name: 'spend-spike',
          kind: 'SPEND_CHANGE',
          threshold: 100,
          windowSeconds: 86400,
          minRequests: 1,
          scope: { kind: 'ALL' },
        });
        op.flush({ data: { createAlertRule: alertRule({ id: 'r9', name: 'spend-spike' }) } });
        await settle(fixture);

        await click('alerts-new');
        await type('alerts-field-name', 'ci-silent');
        await type('alerts-field-kind', 'NO_TRAFFIC');
        await type('alerts-field-window', '1h');
        await click('alerts-save');
        expect(controller.expectOne(CREATE_ALERT_RULE).operation.variables['input']).toEqual({
          ...common,
          name: 'ci-silent',
          kind: 'NO_TRAFFIC',
          windowSeconds: 3600,
          minRequests: 1,
          scope: { kind: 'ALL' },
        });
      });

      it('shows the API refusal next to the form', async () => {
        await type('alerts-field-name', 'dup');
        await click('alerts-save');
        controller
          .expectOne(CREATE_ALERT_RULE)
          .graphqlErrors([
            new GraphQLError("scope.value: no channel has the id 'x'", { extensions: { code: 'BAD_USER_INPUT' } }),
          ]);
        await settle(fixture);
        expect(byTestId('alerts-error', page).textContent).toContain(
          "scope.value: no channel has the id 'x' (BAD_USER_INPUT)",
        );
        expect(hasTestId('alerts-save', page)).toBe(true);
      });
    });

    it('edits a rule: the form starts from it and a new kind clears the old kind’s fields', async () => {
      await answerRules([alertRule({ notificationChannelIds: ['n1'] })]);
      await click('alerts-edit');
      expect(byTestId<HTMLInputElement>('alerts-field-name', page).value).toBe('errors-gpt-4o');
      expect(byTestId<HTMLInputElement>('alerts-field-for', page).value).toBe('2m');
      expect(byTestId<HTMLInputElement>('alerts-field-scopeValue', page).value).toBe('gpt-4o');
      expect(byTestId('alerts-field-channel-ops-slack', page).querySelector('input')?.checked).toBe(true);
      await type('alerts-field-kind', 'NO_TRAFFIC');
      await type('alerts-field-window', '1h');
      await click('alerts-save');
      const op = controller.expectOne(UPDATE_ALERT_RULE);
      expect(op.operation.variables).toEqual({
        id: 'r1',
        input: {
          name: 'errors-gpt-4o',
          description: '',
          kind: 'NO_TRAFFIC',
          threshold: null,
          percentile: null,
          budgetPeriod: null,
          windowSeconds: 3600,
          forSeconds: 120,
          minRequests: 20,
          repeatIntervalSeconds: 14400,
          scope: { kind: 'MODEL', value: 'gpt-4o' },
          notificationChannelIds: ['n1'],
          enabled: true,
        },
      });
      op.flush({ data: { updateAlertRule: alertRule({ kind: 'NO_TRAFFIC', threshold: null }) } });
      await settle(fixture);
      expect(allByTestId('alerts-row', page)[0].textContent).toContain('No traffic');
    });

    it('deletes a rule after confirmation', async () => {
      await answerRules([alertRule()]);
      await click('alerts-delete');
      expect(document.body.textContent).toContain('Delete the rule errors-gpt-4o?');
      await click('alerts-delete-confirm', document);
      const op = controller.expectOne(DELETE_ALERT_RULE);
      expect(op.operation.variables).toEqual({ id: 'r1' });
      op.flush({ data: { deleteAlertRule: true } });
      await settle(fixture);
      expect(byTestId('alerts-empty', page)).toBeTruthy();
    });
  });

  it('shows an auditor the rules without new, edit or delete', async () => {
    signInAs('auditor');
    await render();
    await answerChannels();
    await answerRules([alertRule()]);
    expect(allByTestId('alerts-row', page)).toHaveLength(1);
    expect(hasTestId('alerts-new', page)).toBe(false);
    expect(hasTestId('alerts-edit', page)).toBe(false);
    expect(hasTestId('alerts-delete', page)).toBe(false);
  });

  it('offers only what a custom role grants', async () => {
    signInAs({
      name: 'alert-writer',
      description: '',
      rules: [{ action: ['read', 'create'], subject: 'Alert' }],
    });
    await render();
    // No right to read notification channels: the list is not asked for.
    controller.expectNone(NOTIFICATION_CHANNELS);
    await answerRules([alertRule()]);
    expect(hasTestId('alerts-new', page)).toBe(true);
    expect(hasTestId('alerts-edit', page)).toBe(false);
    expect(hasTestId('alerts-delete', page)).toBe(false);
  });
});
