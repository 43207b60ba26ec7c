import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { ApolloTestingController } from 'apollo-angular/testing';
import { GraphQLError } from 'graphql';
import { signInAs } from '../../core/testing/sign-in-as';
import { allByTestId, byTestId, configureAreaTest, hasTestId, settle, typeInto } from '../keys/testing/area-testing';
import {
  ALERT_EVENTS,
  HISTORY_CHANNELS,
  HISTORY_RULES,
  NOTIFICATION_DELIVERIES,
  type AlertEvent,
  type NotificationDelivery,
} from './alerts.graphql';
import { ALERTS_TRANSLATIONS } from './alerts.i18n';
import { HistoryPage } from './history-page';

function event(overrides: Partial<AlertEvent> = {}): AlertEvent {
  return {
    __typename: 'AlertEvent',
    id: 'e1',
    ruleId: 'r1',
    ruleName: 'errors-gpt-4o',
    type: 'FIRING',
    at: '2026-12-04T10:00:00Z',
    value: 12.5,
    summary: 'error rate 12.5% ≥ 5% (8 of 64 calls in 5m)',
    ...overrides,
  } as AlertEvent;
}

function delivery(overrides: Partial<NotificationDelivery> = {}): NotificationDelivery {
  return {
    __typename: 'NotificationDelivery',
    id: 'd1',
    alertEventId: 'e1',
    ruleId: 'r1',
    channelId: 'n1',
    at: '2026-12-04T10:00:01Z',
    ok: true,
    attempts: 1,
    statusCode: 200,
    response: 'ok',
    error: null,
    ...overrides,
  } as NotificationDelivery;
}

describe(HistoryPage.name, () => {
  let fixture: ComponentFixture<HistoryPage>;
  let controller: ApolloTestingController;
  let page: HTMLElement;

  const flushLists = async (events: AlertEvent[], deliveries: NotificationDelivery[]) => {
    controller.expectOne(ALERT_EVENTS).flush({ data: { alertEvents: events } });
    controller.expectOne(NOTIFICATION_DELIVERIES).flush({ data: { notificationDeliveries: deliveries } });
    await settle(fixture);
  };

  beforeEach(async () => {
    configureAreaTest(HistoryPage, ALERTS_TRANSLATIONS);
    controller = TestBed.inject(ApolloTestingController);
    signInAs('auditor');
    fixture = TestBed.createComponent(HistoryPage);
    page = fixture.nativeElement as HTMLElement;
    await settle(fixture);
    controller.expectOne(HISTORY_RULES).flush({
      data: {
        alertRules: [
          { __typename: 'AlertRule', id: 'r1', name: 'errors-gpt-4o' },
          { __typename: 'AlertRule', id: 'r2', name: 'slow-openai' },
        ],
      },
    });
    controller.expectOne(HISTORY_CHANNELS).flush({
      data: { notificationChannels: [{ __typename: 'NotificationChannel', id: 'n1', name: 'ops-slack' }] },
    });
    await settle(fixture);
  });

  afterEach(() => controller.verify());

  it('asks for the last 100 events and notifications of every rule and channel, with loading states', async () => {
    expect(page.querySelectorAll('mat-progress-bar')).toHaveLength(2);
    const events = controller.expectOne(ALERT_EVENTS);
    const deliveries = controller.expectOne(NOTIFICATION_DELIVERIES);
    expect(events.operation.variables).toEqual({ limit: 100 });
    expect(deliveries.operation.variables).toEqual({ limit: 100 });
    events.flush({ data: { alertEvents: [] } });
    deliveries.flush({ data: { notificationDeliveries: [] } });
    await settle(fixture);
    expect(page.querySelectorAll('mat-progress-bar')).toHaveLength(0);
    expect(byTestId('alerts-history-empty', page).textContent).toContain('No alert events.');
  });

  it('shows both lists with names, outcomes and answers', async () => {
    await flushLists(
      [
        event({ id: 'e2', type: 'RESOLVED', at: '2026-12-04T10:05:00Z', value: 0, summary: 'error rate 0%' }),
        event(),
        event({ id: 'e0', ruleId: 'gone', ruleName: 'deleted-rule', type: 'PENDING', value: null, summary: null }),
      ],
      [
        delivery(),
        delivery({
          id: 'd2',
          ruleId: 'gone',
          ok: false,
          attempts: 3,
          statusCode: 502,
          response: null,
          error: 'Bad gateway',
        }),
        delivery({ id: 'd3', ruleId: null, alertEventId: null }),
      ],
    );
    const events = allByTestId('alerts-history-event-row', page);
    expect(events).toHaveLength(3);
    expect(events[0].textContent).toContain('Resolved');
    expect(events[1].textContent).toContain('Firing');
    expect(events[1].textContent).toContain('error rate 12.5% ≥ 5% (8 of 64 calls in 5m)');
    expect(events[2].textContent).toContain('deleted-rule');
    const deliveries = allByTestId('alerts-history-delivery-row', page);
    expect(deliveries).toHaveLength(3);
    expect(deliveries[0].textContent).toContain('ops-slack');
    expect(deliveries[0].textContent).toContain('Delivered');
    expect(deliveries[1].textContent).toContain('deleted-rule');
    expect(deliveries[1].textContent).toContain('Failed');
    expect(deliveries[1].textContent).toContain('Bad gateway');
    expect(deliveries[2].textContent).toContain('Test');
  });

  it('filters by rule, channel, event and count', async () => {
    await flushLists([event()], [delivery()]);
    typeInto('alerts-history-rule', 'r2', page);
    await settle(fixture);
    expect(controller.expectOne(ALERT_EVENTS).operation.variables).toEqual({ limit: 100, ruleId: 'r2' });
    const byRule = controller.expectOne(NOTIFICATION_DELIVERIES);
    expect(byRule.operation.variables).toEqual({ limit: 100, ruleId: 'r2' });
    byRule.flush({ data: { notificationDeliveries: [] } });
    await settle(fixture);

    typeInto('alerts-history-channel', 'n1', page);
    await settle(fixture);
    controller.expectNone(ALERT_EVENTS);
    expect(controller.expectOne(NOTIFICATION_DELIVERIES).operation.variables).toEqual({
      limit: 100,
      ruleId: 'r2',
      channelId: 'n1',
    });

    typeInto('alerts-history-limit', '500', page);
    await settle(fixture);
    controller.expectOne(ALERT_EVENTS).flush({ data: { alertEvents: [event()] } });
    expect(controller.expectOne(NOTIFICATION_DELIVERIES).operation.variables).toEqual({
      limit: 500,
      ruleId: 'r2',
      channelId: 'n1',
    });
    await settle(fixture);

    byTestId('alerts-history-deliveries', page).click();
    await settle(fixture);
    expect(controller.expectOne(NOTIFICATION_DELIVERIES).operation.variables).toEqual({
      limit: 500,
      alertEventId: 'e1',
      channelId: 'n1',
    });
    expect(byTestId('alerts-history-event-filter', page).textContent).toContain('Firing event of errors-gpt-4o');
  });

  it('shows empty states and errors as text', async () => {
    controller
      .expectOne(ALERT_EVENTS)
      .graphqlErrors([new GraphQLError('You may not read Alert', { extensions: { code: 'FORBIDDEN' } })]);
    controller.expectOne(NOTIFICATION_DELIVERIES).flush({ data: { notificationDeliveries: [] } });
    await settle(fixture);
    expect(byTestId('alerts-history-error', page).textContent).toContain('You may not read Alert (FORBIDDEN)');
    expect(hasTestId('alerts-history-empty', page)).toBe(false);
    expect(byTestId('alerts-history-deliveries-empty', page).textContent).toContain('No notifications sent.');
  });
});
