import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';
import { GraphQLError } from 'graphql';
import { provideConsoleIcons } from '../../core/icons';
import { NamesService } from '../../core/names.service';
import { provideFakeCharts } from '../../core/testing/provide-fake-charts';
import { provideTestI18n } from '../../core/testing/provide-test-i18n';
import { signInAs } from '../../core/testing/sign-in-as';
import { OverviewPage } from './overview-page';

const point = (bucketStart: string, requests: number, errors: number, costUsd: number) => ({
  __typename: 'UsagePoint',
  bucketStart,
  requests,
  errors,
  promptTokens: requests * 10,
  completionTokens: requests * 5,
  totalTokens: requests * 15,
  costUsd,
  latencyP50Ms: 100,
  latencyP95Ms: 400,
  latencyP99Ms: 900,
  ttftAvgMs: 120,
});

describe(OverviewPage.name, () => {
  let apollo: ApolloTestingController;
  let fixture: ComponentFixture<OverviewPage>;
  const text = (testId: string) =>
    (fixture.nativeElement as HTMLElement).querySelector(`[data-testid="${testId}"]`)?.textContent?.trim();

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [NamesService, provideTestI18n(), provideConsoleIcons(), provideFakeCharts()],
    });
    apollo = TestBed.inject(ApolloTestingController);
  });

  /** Lets Apollo and the resources move on, then renders (whenStable would wait for unanswered queries). */
  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    fixture.detectChanges();
  }

  async function open(): Promise<void> {
    fixture = TestBed.createComponent(OverviewPage);
    await settle();
  }

  it('shows an owner the totals, charts, live tiles and the four top lists of the last 24 hours', async () => {
    signInAs('owner');
    await open();

    const series = apollo.expectOne('OverviewSeries');
    expect(series.operation.variables['granularity']).toBe('HOUR');
    const { from, to } = series.operation.variables['range'] as { from: string; to: string };
    expect(Date.parse(to) - Date.parse(from)).toBe(86_400_000);
    series.flush({
      data: {
        usageSeries: [point('2026-12-04T08:00:00Z', 90, 3, 0.5), point('2026-12-04T09:00:00Z', 10, 1, 0.25)],
      },
    });
    const tops = apollo.match('OverviewTop');
    expect(tops.map((op) => op.operation.variables['by'])).toEqual(['MODEL', 'KEY', 'USER', 'CHANNEL']);
    tops.forEach((op) =>
      op.flush({
        data: { usageTop: [{ __typename: 'UsageTopEntry', group: 'gpt-4o', requests: 100, errors: 4, costUsd: 0.75 }] },
      }),
    );
    const live = apollo.expectOne('OverviewLive');
    expect(live.operation.variables).toEqual({ groupBy: 'MODEL' });
    await settle();
    expect(text('overview-live-waiting')).toBe('Waiting for live figures…');

    live.flush({
      data: {
        liveMetrics: {
          __typename: 'LiveMetrics',
          at: '2026-12-04T09:30:00Z',
          rows: [
            {
              __typename: 'LiveMetricsRow',
              value: 'a',
              requests: 7,
              errors: 1,
              latencyP95Ms: 300,
              ttftP95Ms: null,
              inFlight: 2,
            },
            {
              __typename: 'LiveMetricsRow',
              value: 'b',
              requests: 5,
              errors: 0,
              latencyP95Ms: 500,
              ttftP95Ms: 90,
              inFlight: 1,
            },
          ],
        },
      },
    });
    await settle();

    expect(text('overview-requests')).toBe('100');
    expect(text('overview-errors')).toBe('4');
    expect(text('overview-cost')).toBe('$0.75');
    expect(text('overview-live-requests')).toBe('12');
    expect(text('overview-live-in-flight')).toBe('3');
    expect((fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid^="overview-chart-"]')).toHaveLength(6);
    expect((fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid="overview-top-row"]')).toHaveLength(4);
    expect(fixture.nativeElement.querySelector('[data-testid="overview-own"]')).toBeNull();
  });

  it('reads the last hour per minute when that range is chosen', async () => {
    signInAs('operator');
    await open();
    apollo.expectOne('OverviewSeries').flush({ data: { usageSeries: [] } });
    (fixture.nativeElement as HTMLElement)
      .querySelector<HTMLButtonElement>('[data-testid="overview-range-hour"] button')
      ?.click();
    await settle();
    const series = apollo.expectOne('OverviewSeries');
    expect(series.operation.variables['granularity']).toBe('MINUTE');
    const { from, to } = series.operation.variables['range'] as { from: string; to: string };
    expect(Date.parse(to) - Date.parse(from)).toBe(3_600_000);
  });

  it('shows a member their own traffic: top models only, live figures of their own user', async () => {
    signInAs('member', { id: 'u1' });
    await open();
    apollo.expectOne('OverviewSeries').flush({ data: { usageSeries: [] } });
    expect(apollo.match('OverviewTop').map((op) => op.operation.variables['by'])).toEqual(['MODEL']);
    expect(apollo.expectOne('OverviewLive').operation.variables).toEqual({ groupBy: 'USER' });
    await settle();
    expect(text('overview-own')).toContain('your own traffic');
  });

  it('shows a failed query as text', async () => {
    signInAs('owner');
    await open();
    apollo.expectOne('OverviewSeries').flush({
      errors: [
        new GraphQLError('range: 2880 minute buckets is more than 1500', { extensions: { code: 'BAD_USER_INPUT' } }),
      ],
    });
    apollo.expectOne('OverviewLive').networkError(new Error('Socket closed with event 1006'));
    await settle();
    expect(text('overview-error')).toBe('range: 2880 minute buckets is more than 1500 (BAD_USER_INPUT)');
    expect(text('overview-live-error')).toBe('Live figures unavailable: Socket closed with event 1006');
  });
});
