import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';
import { GraphQLError } from 'graphql';
import { provideConsoleIcons } from '../../core/icons';
import { NamesService } from '../../core/names.service';
import { provideTestI18n } from '../../core/testing/provide-test-i18n';
import { signInAs } from '../../core/testing/sign-in-as';
import { LogsPage } from './logs-page';
import { byTestId } from '../../core/testing/area-testing';

const row = (id: string, status = 200) => ({
  __typename: 'RequestLogRow',
  id,
  createdAt: '2026-12-04T08:00:00.000Z',
  endpoint: 'chat.completions',
  stream: false,
  keyId: 'k1',
  userId: 'u1',
  teamId: null,
  requestedModel: 'gpt-4o',
  upstreamModel: 'gpt-4o-2024-08-06',
  channelId: 'c1',
  routeName: 'gpt-4o',
  status,
  latencyMs: 812,
  ttftMs: null,
  attempts: 2,
  promptTokens: 10,
  completionTokens: 5,
  cachedTokens: 0,
  audioSeconds: null,
  totalTokens: 15,
  usageSource: 'upstream',
  costUsd: 0.0012,
  errorClass: status >= 400 ? 'upstream_timeout' : null,
  errorMessage: null,
});

const page = (ids: string[], endCursor: string | null, hasNextPage: boolean) => ({
  data: {
    requestLogs: {
      __typename: 'RequestLogConnection',
      nodes: ids.map((id) => row(id)),
      pageInfo: { __typename: 'RequestLogPageInfo', hasNextPage, endCursor },
    },
  },
});

describe(LogsPage.name, () => {
  let apollo: ApolloTestingController;
  let fixture: ComponentFixture<LogsPage>;
  let root: HTMLElement;

  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    fixture.detectChanges();
    await new Promise((resolve) => setTimeout(resolve));
    fixture.detectChanges();
  };
  const el = <T extends HTMLElement>(testId: string) => byTestId<T>(testId, root);
  const type = (testId: string, value: string) => {
    const input = el<HTMLInputElement>(testId);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
  };
  const submit = async () => {
    root.querySelector('form')?.dispatchEvent(new Event('submit'));
    await settle();
  };
  /** Answers the name look-ups (none known). */
  const answerNames = () =>
    apollo
      .match((op) => (op.operationName ?? '').startsWith('Console'))
      .forEach((op) => op.flush({ data: { items: [] } }));

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [NamesService, provideTestI18n(), provideConsoleIcons()],
    });
    apollo = TestBed.inject(ApolloTestingController);
  });

  async function open(role = 'operator') {
    signInAs(role, { id: 'u1' });
    fixture = TestBed.createComponent(LogsPage);
    root = fixture.nativeElement as HTMLElement;
    await settle();
    answerNames();
    const first = apollo.expectOne('LogsSearch');
    expect(first.operation.variables).toEqual({ filter: {}, first: 50, after: null });
    return first;
  }

  it('sends every filter that was filled in, as the API names it', async () => {
    (await open()).flush(page([], null, false));
    await settle();
    type('logs-field-since', '2026-12-01T08:00');
    type('logs-field-until', '2026-12-02T08:00');
    type('logs-field-key', 'k1');
    type('logs-field-model', ' gpt-4o ');
    type('logs-field-route', 'chat');
    type('logs-field-status', '502');
    type('logs-field-min-latency', '100');
    type('logs-field-max-latency', '5000');
    type('logs-field-error-class', 'upstream_timeout');
    type('logs-field-request-id', 'req_1');
    await submit();

    const search = apollo.expectOne('LogsSearch');
    expect(search.operation.variables).toEqual({
      first: 50,
      after: null,
      filter: {
        since: new Date('2026-12-01T08:00').toISOString(),
        until: new Date('2026-12-02T08:00').toISOString(),
        keyId: 'k1',
        model: 'gpt-4o',
        route: 'chat',
        status: 502,
        minLatencyMs: 100,
        maxLatencyMs: 5000,
        errorClass: 'upstream_timeout',
        requestId: 'req_1',
      },
    });
  });

  it('refuses bad input at the field and sends nothing', async () => {
    (await open()).flush(page([], null, false));
    await settle();
    type('logs-field-status', '700');
    type('logs-field-min-latency', '-5');
    await submit();
    expect(el('logs-field-status-error').textContent?.trim()).toBe('A status is a number from 100 to 599.');
    expect(el('logs-field-min-latency-error').textContent?.trim()).toBe('A whole number of milliseconds, at least 0.');
    apollo.expectNone('LogsSearch');

    type('logs-field-status', '');
    type('logs-field-min-latency', '900');
    type('logs-field-max-latency', '100');
    await submit();
    expect(el('logs-form-error').textContent?.trim()).toBe('The minimum latency is above the maximum.');
    apollo.expectNone('LogsSearch');
  });

  it('pages with the cursor: older, then newer again', async () => {
    (await open()).flush(page(['r1', 'r2'], 'cursor-1', true));
    await settle();
    expect(root.querySelectorAll('[data-testid="logs-row"]')).toHaveLength(2);
    expect(el<HTMLButtonElement>('logs-previous').disabled).toBe(true);

    el<HTMLButtonElement>('logs-next').click();
    await settle();
    const older = apollo.expectOne('LogsSearch');
    expect(older.operation.variables['after']).toBe('cursor-1');
    older.flush(page(['r3'], 'cursor-2', false));
    await settle();
    expect(el<HTMLButtonElement>('logs-next').disabled).toBe(true);

    el<HTMLButtonElement>('logs-previous').click();
    await settle();
    expect(apollo.expectOne('LogsSearch').operation.variables['after']).toBeNull();
  });

  it('opens a call in the drawer with its routing, tokens, cost and captured bodies', async () => {
    (await open()).flush(page(['req_1'], null, false));
    await settle();
    el<HTMLButtonElement>('logs-open').click();
    await settle();
    const detail = apollo.expectOne('LogsDetail');
    expect(detail.operation.variables).toEqual({ id: 'req_1' });
    detail.flush({
      data: {
        requestLog: {
          ...row('req_1'),
          __typename: 'RequestLog',
          requestHeaders: [
            { __typename: 'RequestLogHeader', name: 'user-agent', value: 'OpenAI/Python 1.99.0' },
            { __typename: 'RequestLogHeader', name: 'x-stainless-lang', value: 'python' },
          ],
          body: {
            __typename: 'RequestLogBody',
            request: '{"model":"gpt-4o"}',
            response: 'Hello',
            requestTruncated: false,
            responseTruncated: true,
            truncated: true,
          },
        },
      },
    });
    await settle();
    expect(el('logs-detail-attempts').textContent?.trim()).toBe('2');
    expect(el('logs-detail-tokens').textContent?.trim()).toBe('15');
    expect(el('logs-detail-cost').textContent?.trim()).toBe('$0.0012');
    expect(el('logs-detail-request').textContent).toContain('"model": "gpt-4o"');
    expect(el('logs-detail-response').textContent?.trim()).toBe('Hello');
    const headers = el('logs-detail-headers');
    expect([...headers.querySelectorAll('dt')].map((dt) => dt.textContent?.trim())).toEqual([
      'user-agent',
      'x-stainless-lang',
    ]);
    expect([...headers.querySelectorAll('dd')].map((dd) => dd.textContent?.trim())).toEqual([
      'OpenAI/Python 1.99.0',
      'python',
    ]);
    expect(root.querySelector('[data-testid="logs-detail-no-headers"]')).toBeNull();
    // A call not billed by audio shows no audio row.
    expect(root.querySelector('[data-testid="logs-detail-audio"]')).toBeNull();
  });

  it('shows the seconds of audio a call was billed by', async () => {
    (await open()).flush(page(['req_3'], null, false));
    await settle();
    el<HTMLButtonElement>('logs-open').click();
    await settle();
    apollo.expectOne('LogsDetail').flush({
      data: {
        requestLog: {
          ...row('req_3'),
          endpoint: 'audio.transcriptions',
          audioSeconds: 1500,
          __typename: 'RequestLog',
          requestHeaders: null,
          body: null,
        },
      },
    });
    await settle();
    expect(el('logs-detail-audio').textContent?.trim()).toBe('1,500 s');
  });

  it('says so in the drawer when no headers were kept for a call', async () => {
    (await open()).flush(page(['req_2'], null, false));
    await settle();
    el<HTMLButtonElement>('logs-open').click();
    await settle();
    apollo.expectOne('LogsDetail').flush({
      data: { requestLog: { ...row('req_2'), __typename: 'RequestLog', requestHeaders: null, body: null } },
    });
    await settle();
    expect(root.querySelector('[data-testid="logs-detail-headers"]')).toBeNull();
    expect(el('logs-detail-no-headers').textContent?.trim()).toBe(
      'No headers were kept for this call (the caller sent none of the listed ones, or it was logged before headers were).',
    );
  });

  it('tails the log live with the filters the tail understands', async () => {
    (await open()).flush(page([], null, false));
    await settle();
    type('logs-field-model', 'gpt-4o');
    root.querySelector<HTMLButtonElement>('[data-testid="logs-tail"] button')?.click();
    await settle();
    const tail = apollo.expectOne('LogsTail');
    expect(tail.operation.variables).toEqual({ filter: { model: 'gpt-4o' } });
    tail.flush({ data: { requestLogTail: row('live-1', 503) } });
    await settle();
    const rows = root.querySelectorAll('[data-testid="logs-row"]');
    expect(rows).toHaveLength(1);
    expect(rows[0].textContent).toContain('503');
  });

  it('shows a refused search as text', async () => {
    (await open()).flush({
      errors: [
        new GraphQLError('filter.since: must be before filter.until', { extensions: { code: 'BAD_USER_INPUT' } }),
      ],
    });
    await settle();
    expect(el('logs-error').textContent?.trim()).toBe('filter.since: must be before filter.until (BAD_USER_INPUT)');
  });

  it('looks up only the names a member may read: no channel list, the channel filter takes an id', async () => {
    signInAs('member', { id: 'u1' });
    fixture = TestBed.createComponent(LogsPage);
    root = fixture.nativeElement as HTMLElement;
    await settle();
    const lookups = apollo
      .match((op) => (op.operationName ?? '').startsWith('Console'))
      .map((op) => op.operation.operationName);
    expect(lookups.sort()).toEqual(['ConsoleKeyNames', 'ConsoleTeamNames', 'ConsoleUserNames']);
    expect(el('logs-field-channel').tagName).toBe('INPUT');
  });
});
