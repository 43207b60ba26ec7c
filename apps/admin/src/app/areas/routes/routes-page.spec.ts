import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { ApolloTestingController } from 'apollo-angular/testing';
import { GraphQLError } from 'graphql';
import { signInAs } from '../../core/testing/sign-in-as';
import type { RoutingTarget } from '../channels/channels.graphql';
import { allByTestId, byTestId, configureAreaTest, hasTestId, settle, typeInto } from '../keys/testing/area-testing';
import { RoutesPage } from './routes-page';
import {
  DELETE_ROUTE,
  ROUTES,
  ROUTE_CHANNELS,
  ROUTE_TARGET_STATES,
  SET_TARGET_DISABLED,
  UPSERT_ROUTE,
  type Route,
} from './routes.graphql';
import { ROUTES_TRANSLATIONS } from './routes.i18n';

function route(overrides: Partial<Route> = {}): Route {
  return {
    __typename: 'Route',
    name: 'gpt-4o',
    aliases: ['fast'],
    strategy: 'PRIORITY',
    fallbacks: [],
    captureBodies: false,
    retry: null,
    targets: [
      {
        __typename: 'RouteTarget',
        channelId: 'c1',
        channelName: 'openai-main',
        model: 'gpt-4o',
        weight: 1,
        priority: 1,
        rpm: null,
        tpm: null,
      },
    ],
    ...overrides,
  } as Route;
}

function live(overrides: Partial<RoutingTarget> = {}): RoutingTarget {
  return {
    __typename: 'RoutingTarget',
    id: 'c1/gpt-4o',
    channelId: 'c1',
    channelName: 'openai-main',
    model: 'gpt-4o',
    state: 'COOLING_DOWN',
    cooldownUntil: null,
    recentFailures: 2,
    inFlight: 0,
    latencyMs: null,
    lastCheck: null,
    routes: ['gpt-4o'],
    ...overrides,
  } as RoutingTarget;
}

describe(RoutesPage.name, () => {
  let fixture: ComponentFixture<RoutesPage>;
  let controller: ApolloTestingController;
  let page: HTMLElement;

  const render = async () => {
    fixture = TestBed.createComponent(RoutesPage);
    page = fixture.nativeElement as HTMLElement;
    await settle(fixture);
  };
  const answerStates = async (states: RoutingTarget[] = []) => {
    controller.expectOne(ROUTE_TARGET_STATES).flush({ data: { routingTargets: states } });
    await settle(fixture);
  };
  const answer = async (routes: Route[], states: RoutingTarget[] = []) => {
    controller.expectOne(ROUTES).flush({ data: { routes } });
    await answerStates(states);
  };
  const click = async (id: string, root: ParentNode = page) => {
    byTestId(id, root).click();
    await settle(fixture);
  };
  const fieldErrors = () => Array.from(document.querySelectorAll('mat-error')).map((e) => e.textContent?.trim());

  beforeEach(() => {
    configureAreaTest(RoutesPage, ROUTES_TRANSLATIONS);
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
      controller.expectOne(ROUTE_CHANNELS).flush({
        data: {
          channels: [
            { __typename: 'Channel', id: 'c1', name: 'openai-main', enabled: true, type: 'OPENAI' },
            { __typename: 'Channel', id: 'c2', name: 'azure-east', enabled: true, type: 'AZURE' },
            { __typename: 'Channel', id: 'c3', name: 'writer-app', enabled: true, type: 'DIFY' },
          ],
        },
      });
    });

    it('lists routes with strategy, targets and their live state', async () => {
      await answer([route()], [live()]);
      const rows = allByTestId('routes-row', page);
      expect(rows).toHaveLength(1);
      expect(rows[0].textContent).toContain('Priority (fallback tiers)');
      expect(rows[0].textContent).toContain('openai-main → gpt-4o (weight 1, priority 1)');
      expect(rows[0].textContent).toContain('fast');
      expect(byTestId('routes-target-state', page).textContent).toContain('Cooling down');
      expect(rows[0].textContent).toContain('2 recent failures');
      expect(hasTestId('routes-new', page)).toBe(true);
      expect(hasTestId('routes-edit', page)).toBe(true);
      expect(hasTestId('routes-delete', page)).toBe(true);
    });

    it('refreshes the targets’ state and takes a target out of rotation', async () => {
      await answer([route()], [live({ state: 'HEALTHY', recentFailures: 0 })]);
      await click('routes-refresh');
      controller.expectOne(ROUTES).flush({ data: { routes: [route()] } });
      await answerStates([live({ state: 'HALF_OPEN' })]);
      expect(byTestId('routes-target-state', page).textContent).toContain('Half open');
      await click('routes-target-disable');
      const op = controller.expectOne(SET_TARGET_DISABLED);
      expect(op.operation.variables).toEqual({ id: 'c1/gpt-4o', disabled: true });
      op.flush({ data: { setRoutingTargetDisabled: live({ state: 'DISABLED' }) } });
      await settle(fixture);
      expect(byTestId('routes-target-state', page).textContent).toContain('Disabled');
      expect(byTestId('routes-target-disable', page).textContent).toContain('Put back in rotation');
    });

    it('shows a loading state, then an empty state', async () => {
      expect(page.querySelector('mat-progress-bar')).not.toBeNull();
      await answer([]);
      expect(byTestId('routes-empty', page).textContent).toContain('No routes yet.');
    });

    it('shows a GraphQL error of the list as text', async () => {
      controller.expectOne(ROUTES).graphqlErrors([new GraphQLError('boom', { extensions: { code: 'FORBIDDEN' } })]);
      await answerStates();
      expect(byTestId('routes-error', page).textContent).toContain('boom (FORBIDDEN)');
    });

    it('checks every field of the route and its targets and sends nothing while one is wrong', async () => {
      await answer([]);
      await click('routes-new');
      typeInto('routes-field-name', '');
      typeInto('routes-field-target-weight', '0');
      typeInto('routes-field-target-priority', '1.5');
      typeInto('routes-field-target-rpm', '-3');
      await click('routes-save', document);
      expect(fieldErrors()).toEqual(
        expect.arrayContaining([
          'Required.',
          'Enter a number above 0.',
          'Enter a whole number.',
          'Enter a number above 0.',
        ]),
      );
      expect(byTestId('routes-field-target-weight').getAttribute('aria-invalid')).toBe('true');
      expect(byTestId('routes-field-target-priority').getAttribute('aria-invalid')).toBe('true');
      expect(byTestId('routes-field-name').getAttribute('aria-invalid')).toBe('true');
      controller.expectNone(UPSERT_ROUTE);

      await click('routes-target-remove', document);
      typeInto('routes-field-name', 'gpt-4o');
      await click('routes-save', document);
      expect(byTestId('routes-targets-error').textContent).toContain('Add at least one target.');
      controller.expectNone(UPSERT_ROUTE);
      expect(hasTestId('routes-save')).toBe(true);
    });

    it('checks the retry policy at its fields, sends nothing while one is wrong, then sends what was given', async () => {
      await answer([]);
      await click('routes-new');
      typeInto('routes-field-name', 'retried');
      const tick = (reason: string) => byTestId(`routes-field-retry-${reason}`).querySelector('input')?.click();
      typeInto('routes-field-retry-attempts', '11');
      typeInto('routes-field-retry-backoffMs', '-1');
      typeInto('routes-field-retry-maxBackoffMs', '2.5');
      for (const reason of ['CONNECT', 'TIMEOUT', 'STATUS_429', 'STATUS_5XX']) tick(reason);
      await click('routes-save', document);
      const notNegative = 'A whole number of milliseconds, 0 or more, or empty for the default.';
      expect(fieldErrors()).toEqual([
        'A whole number from 1 to 10, or empty for the default (3).',
        notNegative,
        notNegative,
      ]);
      expect(byTestId('routes-field-retry-attempts').getAttribute('aria-invalid')).toBe('true');
      expect(byTestId('routes-field-retry-backoffMs').getAttribute('aria-invalid')).toBe('true');
      expect(byTestId('routes-retry-on-error').textContent).toContain('Tick at least one failure');
      controller.expectNone(UPSERT_ROUTE);

      typeInto('routes-field-retry-attempts', '4');
      typeInto('routes-field-retry-backoffMs', '200');
      typeInto('routes-field-retry-maxBackoffMs', '');
      await settle(fixture);
      expect(hasTestId('routes-retry-on-error')).toBe(true);
      for (const reason of ['CONNECT', 'TIMEOUT', 'STATUS_5XX']) tick(reason);
      await click('routes-save', document);
      expect(hasTestId('routes-retry-on-error')).toBe(false);
      const op = controller.expectOne(UPSERT_ROUTE);
      expect(op.operation.variables['input'].retry).toEqual({
        attempts: 4,
        backoffMs: 200,
        maxBackoffMs: null,
        maxRetryAfterMs: null,
        retryOn: ['CONNECT', 'TIMEOUT', 'STATUS_5XX'],
      });
      op.flush({ data: { upsertRoute: route({ name: 'retried' }) } });
      await settle(fixture);
      await answerStates();
    });

    it('offers a Dify target the app type instead of an upstream model name', async () => {
      await answer([]);
      await click('routes-new');
      typeInto('routes-field-name', 'writer');
      typeInto('routes-field-target-channel', 'writer-app');
      await settle(fixture);
      expect(hasTestId('routes-field-target-model')).toBe(false);
      const app = byTestId<HTMLSelectElement>('routes-field-target-dify-app');
      expect([...app.options].map((o) => o.textContent?.trim())).toEqual([
        'Chat app: Chatbot, Agent, Chatflow (/chat-messages)',
        'Text Generator app (/completion-messages)',
      ]);
      typeInto('routes-field-target-dify-app', 'completion');
      await click('routes-save', document);
      const op = controller.expectOne(UPSERT_ROUTE);
      expect(op.operation.variables['input'].targets).toEqual([
        { channel: 'writer-app', model: 'completion', weight: 1, priority: 0 },
      ]);
      op.flush({ data: { upsertRoute: route({ name: 'writer' }) } });
      await settle(fixture);
      await answerStates();
    });

    it('creates a route with two targets', async () => {
      await answer([]);
      await click('routes-new');
      typeInto('routes-field-name', 'team-model');
      typeInto('routes-field-strategy', 'WEIGHTED');
      typeInto('routes-field-aliases', 'team, t');
      typeInto('routes-field-fallbacks', 'gpt-4o-mini');
      await click('routes-target-add', document);
      const channelSelects = allByTestId<HTMLSelectElement>('routes-field-target-channel');
      expect(channelSelects).toHaveLength(2);
      channelSelects[1].value = 'azure-east';
      channelSelects[1].dispatchEvent(new Event('change'));
      const models = allByTestId<HTMLInputElement>('routes-field-target-model');
      models[1].value = 'gpt-4o-mini';
      models[1].dispatchEvent(new Event('input'));
      const weights = allByTestId<HTMLInputElement>('routes-field-target-weight');
      weights[1].value = '3';
      weights[1].dispatchEvent(new Event('input'));
      const rpms = allByTestId<HTMLInputElement>('routes-field-target-rpm');
      rpms[1].value = '600';
      rpms[1].dispatchEvent(new Event('input'));
      await click('routes-save', document);
      const op = controller.expectOne(UPSERT_ROUTE);
      expect(op.operation.variables).toEqual({
        input: {
          name: 'team-model',
          strategy: 'WEIGHTED',
          aliases: ['team', 't'],
          fallbacks: ['gpt-4o-mini'],
          captureBodies: false,
          retry: null,
          targets: [
            { channel: 'openai-main', weight: 1, priority: 0 },
            { channel: 'azure-east', model: 'gpt-4o-mini', weight: 3, priority: 0, rpm: 600 },
          ],
        },
      });
      op.flush({ data: { upsertRoute: route({ name: 'team-model' }) } });
      await settle(fixture);
      await answerStates();
      expect(hasTestId('routes-save')).toBe(false);
      expect(allByTestId('routes-row', page)).toHaveLength(1);
    });

    it('edits a route whole, keeping its retry policy, and shows a refusal in the open dialog', async () => {
      const retry = {
        __typename: 'RouteRetry',
        attempts: 2,
        backoffMs: null,
        maxBackoffMs: null,
        maxRetryAfterMs: null,
        retryOn: ['STATUS_429'],
      };
      await answer([route({ retry: retry as never })]);
      await click('routes-edit');
      expect(byTestId<HTMLInputElement>('routes-field-name').disabled).toBe(true);
      typeInto('routes-field-fallbacks', 'nope');
      await click('routes-save', document);
      const op = controller.expectOne(UPSERT_ROUTE);
      expect(op.operation.variables['input']).toEqual({
        name: 'gpt-4o',
        strategy: 'PRIORITY',
        aliases: ['fast'],
        fallbacks: ['nope'],
        captureBodies: false,
        retry: { attempts: 2, backoffMs: null, maxBackoffMs: null, maxRetryAfterMs: null, retryOn: ['STATUS_429'] },
        targets: [{ channel: 'openai-main', model: 'gpt-4o', weight: 1, priority: 1 }],
      });
      op.graphqlErrors([
        new GraphQLError("routes[gpt-4o].fallbacks: unknown route 'nope'", { extensions: { code: 'BAD_USER_INPUT' } }),
      ]);
      await settle(fixture);
      expect(byTestId('routes-error').textContent).toContain("unknown route 'nope' (BAD_USER_INPUT)");
      expect(hasTestId('routes-save')).toBe(true);
    });

    it('deletes a route after confirmation', async () => {
      await answer([route()]);
      await click('routes-delete');
      await click('routes-delete-confirm', document);
      const op = controller.expectOne(DELETE_ROUTE);
      expect(op.operation.variables).toEqual({ name: 'gpt-4o' });
      op.flush({ data: { deleteRoute: true } });
      await settle(fixture);
      expect(hasTestId('routes-row', page)).toBe(false);
      expect(hasTestId('routes-empty', page)).toBe(true);
    });
  });

  it('keeps "New route" disabled until the channels a target may name are known', async () => {
    signInAs('operator');
    await render();
    await answer([]);
    expect((byTestId('routes-new', page) as HTMLButtonElement).disabled).toBe(true);
    controller.expectOne(ROUTE_CHANNELS).flush({
      data: { channels: [{ __typename: 'Channel', id: 'c1', name: 'openai-main', enabled: true, type: 'OPENAI' }] },
    });
    await settle(fixture);
    expect((byTestId('routes-new', page) as HTMLButtonElement).disabled).toBe(false);
    await click('routes-new');
    expect((byTestId('routes-field-target-channel', document) as HTMLSelectElement).value).toBe('openai-main');
  });

  it('offers an auditor the state but no change', async () => {
    signInAs('auditor');
    await render();
    controller.expectNone(ROUTE_CHANNELS);
    await answer([route()], [live()]);
    expect(hasTestId('routes-target-state', page)).toBe(true);
    expect(hasTestId('routes-new', page)).toBe(false);
    expect(hasTestId('routes-edit', page)).toBe(false);
    expect(hasTestId('routes-delete', page)).toBe(false);
    expect(hasTestId('routes-target-disable', page)).toBe(false);
  });

  it('offers a member no change', async () => {
    signInAs('member', { id: 'u1' });
    await render();
    controller.expectOne(ROUTES).flush({ data: { routes: [route()] } });
    controller.expectNone(ROUTE_TARGET_STATES);
    await settle(fixture);
    expect(hasTestId('routes-new', page)).toBe(false);
    expect(hasTestId('routes-edit', page)).toBe(false);
    expect(hasTestId('routes-delete', page)).toBe(false);
  });
});
