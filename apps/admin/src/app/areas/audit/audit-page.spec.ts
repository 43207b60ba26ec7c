import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { ApolloTestingController } from 'apollo-angular/testing';
import { GraphQLError } from 'graphql';
import { signInAs } from '../../core/testing/sign-in-as';
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
import { AuditPage } from './audit-page';
import { AUDIT_ACTORS, AUDIT_EVENTS, type AuditEvent } from './audit.graphql';
import { AUDIT_TRANSLATIONS } from './audit.i18n';

function event(id: string, at: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    __typename: 'AuditEvent',
    id,
    at,
    action: 'Mutation.createUser',
    actorId: 'u1',
    actorEmail: 'owner@example.com',
    ip: '127.0.0.1',
    subject: 'User',
    subjectId: 'u9',
    outcome: 'succeeded',
    detail: null,
    requestId: 'req-1',
    changes: { input: { email: 'x@example.com', password: '[redacted]' } },
    ...overrides,
  } as AuditEvent;
}

describe(AuditPage.name, () => {
  let fixture: ComponentFixture<AuditPage>;
  let controller: ApolloTestingController;
  let page: HTMLElement;

  const click = async (id: string) => {
    byTestId(id, page).click();
    await settle(fixture);
  };

  beforeEach(async () => {
    configureAreaTest(AuditPage, AUDIT_TRANSLATIONS);
    controller = TestBed.inject(ApolloTestingController);
    signInAs('auditor');
    fixture = TestBed.createComponent(AuditPage);
    page = fixture.nativeElement as HTMLElement;
    await settle(fixture);
    controller.expectOne(AUDIT_ACTORS).flush({
      data: { users: [{ __typename: 'User', id: 'u1', email: 'owner@example.com' }] },
    });
  });
  afterEach(() => controller.verify());

  it('shows the newest events, then filters with every field the API takes', async () => {
    const first = controller.expectOne(AUDIT_EVENTS);
    expect(first.operation.variables).toEqual({ limit: 100 });
    first.flush({ data: { auditEvents: [event('e1', '2026-12-04T10:00:00Z')] } });
    await settle(fixture);
    expect(allByTestId('audit-row', page)).toHaveLength(1);

    typeInto('audit-field-since', '2026-12-01T00:00', page);
    typeInto('audit-field-until', '2026-12-02T00:00', page);
    typeInto('audit-field-actor', 'u1', page);
    typeInto('audit-field-action', 'Mutation.*', page);
    typeInto('audit-field-subject', 'GatewayKey', page);
    typeInto('audit-field-outcome', 'denied', page);
    await click('audit-search');
    const op = controller.expectOne(AUDIT_EVENTS);
    expect(op.operation.variables).toEqual({
      limit: 100,
      action: 'Mutation.*',
      actorId: 'u1',
      subject: 'GatewayKey',
      outcome: 'denied',
      since: new Date('2026-12-01T00:00').toISOString(),
      until: new Date('2026-12-02T00:00').toISOString(),
    });
    op.flush({ data: { auditEvents: [] } });
    await settle(fixture);
    expect(byTestId('audit-empty', page).textContent).toContain('No events match these filters.');
  });

  it('refuses a reversed range and a bad action at the fields, asking nothing', async () => {
    controller.expectOne(AUDIT_EVENTS).flush({ data: { auditEvents: [] } });
    await settle(fixture);
    typeInto('audit-field-since', '2026-12-02T00:00', page);
    typeInto('audit-field-until', '2026-12-01T00:00', page);
    typeInto('audit-field-action', 'Mutation.{x}', page);
    await click('audit-search');
    expect(byTestId('audit-field-until-error', page).textContent).toContain('must be after its start');
    expect(page.querySelector('mat-error')?.textContent).toContain('optionally ending in *');
    controller.expectNone(AUDIT_EVENTS);
  });

  it('pages to older events from the last one shown, and shows the redacted changes of one', async () => {
    typeInto('audit-field-limit', '0: 50', page);
    controller.expectOne(AUDIT_EVENTS).flush({ data: { auditEvents: [] } });
    await settle(fixture);
    await click('audit-search');
    controller.expectOne(AUDIT_EVENTS).flush({
      data: {
        auditEvents: Array.from({ length: 50 }, (_, i) =>
          event(`e${i}`, new Date(Date.UTC(2026, 11, 4, 10, 0, 59 - i)).toISOString()),
        ),
      },
    });
    await settle(fixture);
    await click('audit-more');
    const next = controller.expectOne(AUDIT_EVENTS);
    expect(next.operation.variables).toEqual({ limit: 50, until: '2026-12-04T10:00:10.000Z' });
    next.flush({
      data: { auditEvents: [event('e49', '2026-12-04T10:00:10.000Z'), event('older', '2026-12-04T09:00:00Z')] },
    });
    await settle(fixture);
    expect(allByTestId('audit-row', page)).toHaveLength(51);
    expect(hasTestId('audit-more', page)).toBe(false);

    await click('audit-detail');
    expect(byTestId('audit-changes', page).textContent).toContain('"password": "[redacted]"');
    expect(byTestId('audit-detail-panel', page).textContent).toContain('req-1');
  });

  it('shows a GraphQL error as text', async () => {
    controller
      .expectOne(AUDIT_EVENTS)
      .graphqlErrors([new GraphQLError('You may not read AuditEvent', { extensions: { code: 'FORBIDDEN' } })]);
    await settle(fixture);
    expect(byTestId('audit-error', page).textContent).toContain('You may not read AuditEvent (FORBIDDEN)');
    expect(hasTestId('audit-empty', page)).toBe(false);
  });
});

describe('AUDIT_TRANSLATIONS', () => {
  it('has the same keys in English and Chinese, none empty', () => {
    expect(translationKeys(AUDIT_TRANSLATIONS['zh-CN'])).toEqual(translationKeys(AUDIT_TRANSLATIONS.en));
    expect([...emptyTexts(AUDIT_TRANSLATIONS.en), ...emptyTexts(AUDIT_TRANSLATIONS['zh-CN'])]).toEqual([]);
  });
});
