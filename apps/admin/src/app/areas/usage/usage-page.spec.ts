import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';
import { GraphQLError } from 'graphql';
import { SESSION_STORAGE_KEY } from '../../auth/auth.service';
import { provideConsoleIcons } from '../../core/icons';
import { NamesService } from '../../core/names.service';
import { provideFakeCharts } from '../../core/testing/provide-fake-charts';
import { provideTestI18n } from '../../core/testing/provide-test-i18n';
import { signInAs } from '../../core/testing/sign-in-as';
import type { UsageForm } from './usage-form';
import { UsagePage } from './usage-page';
import { byTestId } from '../../core/testing/area-testing';

const point = (bucketStart: string, group: string | null, requests: number, costUsd: number) => ({
  __typename: 'UsagePoint',
  bucketStart,
  group,
  requests,
  errors: 1,
  promptTokens: 10,
  completionTokens: 5,
  totalTokens: 15,
  costUsd,
  latencyP95Ms: 300,
});

describe(UsagePage.name, () => {
  let apollo: ApolloTestingController;
  let fixture: ComponentFixture<UsagePage>;
  let root: HTMLElement;

  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    fixture.detectChanges();
    await new Promise((resolve) => setTimeout(resolve));
    fixture.detectChanges();
  };
  const el = <T extends HTMLElement>(testId: string) => byTestId<T>(testId, root);
  const form = () => (fixture.componentInstance as unknown as { form: UsageForm }).form;
  const submit = async () => {
    root.querySelector('form')?.dispatchEvent(new Event('submit'));
    await settle();
  };
  const answerNames = () =>
    apollo
      .match((op) => (op.operationName ?? '').startsWith('Console'))
      .forEach((op) => op.flush({ data: { items: [] } }));

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [
        NamesService,
        provideTestI18n(),
        provideConsoleIcons(),
        provideFakeCharts(),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    });
    apollo = TestBed.inject(ApolloTestingController);
  });

  async function open(role = 'operator') {
    signInAs(role, { id: 'u1' });
    fixture = TestBed.createComponent(UsagePage);
    root = fixture.nativeElement as HTMLElement;
    await settle();
    answerNames();
  }

  it('reads the last 7 days per hour, all traffic, and the top models by requests', async () => {
    await open();
    const series = apollo.expectOne('UsageSeries');
    expect(series.operation.variables).toMatchObject({ granularity: 'HOUR', groupBy: 'NONE', filter: null });
    const top = apollo.expectOne('UsageTop');
    expect(top.operation.variables).toMatchObject({ by: 'MODEL', metric: 'REQUESTS', limit: 10, filter: null });
    series.flush({
      data: {
        usageSeries: [point('2026-12-04T08:00:00Z', null, 40, 0.5), point('2026-12-04T09:00:00Z', null, 60, 0.25)],
      },
    });
    top.flush({
      data: {
        usageTop: [
          {
            __typename: 'UsageTopEntry',
            group: 'gpt-4o',
            requests: 100,
            errors: 2,
            totalTokens: 1500,
            costUsd: 0.75,
            latencyP95Ms: 420,
          },
        ],
      },
    });
    await settle();
    const totals = root.querySelectorAll('[data-testid="usage-row"]');
    expect(totals).toHaveLength(1);
    expect(totals[0].textContent).toContain('All traffic');
    expect(totals[0].textContent).toContain('100');
    expect(totals[0].textContent).toContain('$0.75');
    expect(el('usage-top-row').textContent).toContain('gpt-4o');
  });

  it('sends a dimension filter with a grouping the API accepts, and refuses one it does not', async () => {
    await open('owner');
    apollo.match(() => true).forEach((op) => op.flush({ data: { usageSeries: [], usageTop: [] } }));
    form().patchValue({ dimension: 'KEY', dimensionId: 'k1', groupBy: 'CHANNEL', model: 'gpt-4o' });
    await submit();
    expect(el('usage-form-error').textContent?.trim()).toBe(
      'With this filter, group by nothing, by model or by the same kind.',
    );
    apollo.expectNone('UsageSeries');

    form().patchValue({ groupBy: 'MODEL' });
    await submit();
    expect(apollo.expectOne('UsageSeries').operation.variables).toMatchObject({
      groupBy: 'MODEL',
      filter: { keyId: 'k1', model: 'gpt-4o' },
    });
  });

  it('refuses more than 1500 buckets and a bad top-list size at the field, sending nothing', async () => {
    await open();
    apollo.match(() => true).forEach((op) => op.flush({ data: { usageSeries: [], usageTop: [] } }));
    form().patchValue({ from: '2026-11-01T00:00', to: '2026-12-01T00:00', granularity: 'MINUTE' });
    await submit();
    expect(el('usage-form-error').textContent?.trim()).toBe(
      'This is 43200 buckets; at most 1500: choose a coarser granularity or a shorter period.',
    );
    form().patchValue({ granularity: 'DAY', limit: 0 });
    await submit();
    expect(el('usage-field-limit-error').textContent?.trim()).toBe('A whole number from 1 to 100.');
    apollo.expectNone('UsageSeries');
    apollo.expectNone('UsageTop');
  });

  it('downloads the CSV export of the period with the access token', async () => {
    const now = Date.now();
    sessionStorage.setItem(
      SESSION_STORAGE_KEY,
      JSON.stringify({
        pair: { accessToken: 'tok', tokenType: 'Bearer', expiresIn: 900, refreshToken: 'r', refreshExpiresIn: 3600 },
        accessExpiresAt: now + 900_000,
        refreshExpiresAt: now + 3_600_000,
      }),
    );
    const created = jest.fn(() => 'blob:usage');
    Object.assign(URL, { createObjectURL: created, revokeObjectURL: jest.fn() });
    // jsdom cannot follow a download link: record the click instead.
    const clicked = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await open();
    form().patchValue({ from: '2026-05-01T00:00', to: '2026-06-01T00:00', granularity: 'DAY', groupBy: 'KEY' });
    el<HTMLButtonElement>('usage-export').click();
    await settle();
    const http = TestBed.inject(HttpTestingController);
    const request = http.expectOne((r) => r.url === '/api/usage/export.csv');
    expect(request.request.headers.get('authorization')).toBe('Bearer tok');
    expect(request.request.params.get('granularity')).toBe('day');
    expect(request.request.params.get('groupBy')).toBe('key');
    expect(request.request.params.get('from')).toBe(new Date('2026-05-01T00:00').toISOString());
    request.flush(new Blob(['bucket_start,group\r\n']), {
      headers: { 'content-disposition': 'attachment; filename="usage-day-key-2026-05-01-2026-06-01.csv"' },
    });
    await settle();
    expect(created).toHaveBeenCalled();
    expect(clicked).toHaveBeenCalledTimes(1);
    clicked.mockRestore();
    expect(el('usage-exported').textContent?.trim()).toBe('Saved usage-day-key-2026-05-01-2026-06-01.csv.');
  });

  it('offers a member only what the API answers them: no dimension filter, group by user or model', async () => {
    await open('member');
    expect(root.querySelector('[data-testid="usage-field-dimension"]')).toBeNull();
    expect(el('usage-own').textContent).toContain('your own usage');
    const component = fixture.componentInstance as unknown as { groupBys: () => string[]; topBys: () => string[] };
    expect(component.groupBys()).toEqual(['NONE', 'USER', 'MODEL']);
    expect(component.topBys()).toEqual(['MODEL', 'USER']);
  });

  it('shows a refused query as text', async () => {
    await open();
    apollo
      .expectOne('UsageSeries')
      .flush({ errors: [new GraphQLError('You may not read Usage.', { extensions: { code: 'FORBIDDEN' } })] });
    await settle();
    expect(el('usage-error').textContent?.trim()).toBe('You may not read Usage. (FORBIDDEN)');
  });
});
