import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatIconModule } from '@angular/material/icon';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import { catchError, map, of, startWith } from 'rxjs';
import { AbilityService } from '../../core/ability.service';
import { ChartCard } from '../../core/charts/chart-card';
import { timeChartOptions, type TimeSeries } from '../../core/charts/chart-options';
import { errorMessage } from '../../core/error-message';
import { formatCount, formatMs, formatPercent, formatUsd } from '../../core/format';
import { LanguageService } from '../../core/i18n/i18n';
import { ThemeService } from '../../core/theme.service';
import { RANGE_PRESETS, presetRange, type RangePreset } from '../../core/usage-range';
import { OVERVIEW_LIVE, OVERVIEW_SERIES, type LiveRow, type TopBy } from './overview.graphql';
import { liveTotalsOf, overviewCharts, totalsOf } from './overview-series';
import { TopList } from './top-list';

type LiveState = { rows: LiveRow[] } | { error: string } | null;

/** The dashboard: totals and charts over a range from the usage rollups, live tiles, top lists. */
@Component({
  selector: 'app-overview-page',
  imports: [MatButtonToggleModule, MatButtonModule, MatIconModule, TranslatePipe, ChartCard, TopList],
  templateUrl: './overview-page.html',
  styleUrl: './overview-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OverviewPage {
  private readonly apollo = inject(Apollo);
  private readonly ability = inject(AbilityService);
  private readonly theme = inject(ThemeService);
  private readonly translate = inject(TranslateService);
  protected readonly language = inject(LanguageService);

  protected readonly presets = RANGE_PRESETS;
  protected readonly preset = signal<RangePreset>('DAY');
  private readonly reloads = signal(0);
  /** The range ends when it is chosen (or refreshed): a new preset or Refresh reads up to now. */
  protected readonly window = computed(() => {
    this.reloads();
    return presetRange(this.preset());
  });

  /** Whether the account reads everybody's usage, or (a member) only its own. */
  protected readonly readsAll = computed(() => this.ability.canOn('read', 'Usage', { userId: '\u0000nobody' }));
  protected readonly topLists = computed<TopBy[]>(() =>
    this.readsAll() ? ['MODEL', 'KEY', 'USER', 'CHANNEL'] : ['MODEL'],
  );

  protected readonly series = rxResource({
    params: () => this.window(),
    stream: ({ params }) =>
      this.apollo
        .query({ query: OVERVIEW_SERIES, variables: params, fetchPolicy: 'network-only' })
        .pipe(map((result) => result.data?.usageSeries ?? [])),
  });
  private readonly points = computed(() => (this.series.hasValue() ? this.series.value() : []));
  protected readonly seriesError = computed(() => {
    const error = this.series.error();
    return error ? errorMessage(error) : null;
  });

  private readonly totals = computed(() => totalsOf(this.points()));
  protected readonly tiles = computed(() => {
    const t = this.totals();
    const locale = this.language.current();
    return {
      requests: formatCount(t.requests, locale),
      errors: formatCount(t.errors, locale),
      errorRate: formatPercent(t.errorRate, locale),
      cost: formatUsd(t.costUsd, locale),
      tokens: formatCount(t.tokens, locale),
      latency: formatMs(t.latencyP95Ms),
    };
  });

  /** Live figures over the last minute, pushed by the `liveMetrics` subscription every few seconds. */
  private readonly live = toSignal(
    this.apollo.subscribe({ query: OVERVIEW_LIVE, variables: { groupBy: this.readsAll() ? 'MODEL' : 'USER' } }).pipe(
      // Apollo 4 delivers a subscription's errors as results with `error`.
      map(
        (result): LiveState =>
          result.error ? { error: errorMessage(result.error) } : { rows: result.data?.liveMetrics.rows ?? [] },
      ),
      catchError((error: unknown) => of<LiveState>({ error: errorMessage(error) })),
      startWith<LiveState>(null),
    ),
    { initialValue: null },
  );
  protected readonly liveError = computed(() => {
    const live = this.live();
    return live && 'error' in live ? live.error : null;
  });
  protected readonly liveTiles = computed(() => {
    const live = this.live();
    if (!live || !('rows' in live)) return null;
    const t = liveTotalsOf(live.rows);
    const locale = this.language.current();
    return {
      requests: formatCount(t.requests, locale),
      errorRate: formatPercent(t.errorRate, locale),
      latency: formatMs(t.latencyP95Ms),
      ttft: formatMs(t.ttftP95Ms),
      inFlight: formatCount(t.inFlight, locale),
    };
  });

  protected readonly charts = computed(() => {
    this.language.current();
    const t = (key: string) => this.translate.instant(`overview.charts.${key}`) as string;
    const dark = this.theme.dark();
    const points = this.points();
    const range = this.window().range;
    const series = overviewCharts(points, {
      requestsSeries: t('requestsSeries'),
      errorsSeries: t('errorsSeries'),
      errorRateSeries: t('errorRateSeries'),
      p50: 'p50',
      p95: 'p95',
      p99: 'p99',
      ttftSeries: t('ttftSeries'),
      prompt: t('prompt'),
      completion: t('completion'),
      costSeries: t('costSeries'),
    });
    const chart = (key: keyof typeof series, title: string, format?: (v: number) => string) => ({
      key,
      title: t(title),
      options: timeChartOptions(series[key] as TimeSeries[], { dark, format, range }),
    });
    const locale = this.language.current();
    return [
      chart('requests', 'requests', (v) => formatCount(v, locale)),
      chart('errorRate', 'errorRate', (v) => formatPercent(v, locale)),
      chart('latency', 'latency', formatMs),
      chart('ttft', 'ttft', formatMs),
      chart('tokens', 'tokens', (v) => formatCount(v, locale)),
      chart('cost', 'cost', (v) => formatUsd(v, locale)),
    ];
  });
  protected readonly empty = computed(() => this.series.hasValue() && this.points().length === 0);

  protected choose(preset: RangePreset): void {
    this.preset.set(preset);
  }

  protected refresh(): void {
    this.reloads.update((n) => n + 1);
  }
}
