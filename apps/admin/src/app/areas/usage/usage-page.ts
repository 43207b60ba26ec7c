import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import { ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import { map, startWith } from 'rxjs';
import { AbilityService } from '../../core/ability.service';
import { ChartCard } from '../../core/charts/chart-card';
import { timeChartOptions } from '../../core/charts/chart-options';
import { errorMessage } from '../../core/error-message';
import { formatCount, formatMs, formatUsd } from '../../core/format';
import { LanguageService } from '../../core/i18n/i18n';
import { NamesService, type NamedKind } from '../../core/names.service';
import { RANGE_PRESETS, presetRange, type RangePreset } from '../../core/usage-range';
import { ThemeService } from '../../core/theme.service';
import {
  FILTER_DIMENSIONS,
  GRANULARITIES,
  GROUP_BYS,
  MAX_BUCKETS,
  METRICS,
  TOP_BYS,
  exportParams,
  localInput,
  toRange,
  toSeriesVariables,
  toTopVariables,
  usageForm,
  type UsageFormValue,
} from './usage-form';
import { UsageExport } from './usage-export';
import { MAX_LINES, groupTotals, seriesLines } from './usage-series';
import { USAGE_SERIES, USAGE_TOP, type UsageGroupBy, type UsageMetric } from './usage.graphql';

/** Usage reports: a time series by any grouping, top lists, and the CSV export of the period. */
@Component({
  selector: 'app-usage-page',
  imports: [
    ReactiveFormsModule,
    TranslatePipe,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatIconModule,
    ChartCard,
  ],
  templateUrl: './usage-page.html',
  styleUrls: ['../../ui/compact-table.css', './usage-page.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsagePage {
  private readonly apollo = inject(Apollo);
  private readonly ability = inject(AbilityService);
  private readonly names = inject(NamesService);
  private readonly theme = inject(ThemeService);
  private readonly translate = inject(TranslateService);
  private readonly exporter = inject(UsageExport);
  protected readonly language = inject(LanguageService);

  protected readonly form = usageForm();
  protected readonly presets = RANGE_PRESETS;
  protected readonly granularities = GRANULARITIES;
  protected readonly metrics = METRICS;
  protected readonly maxBuckets = MAX_BUCKETS;

  /** Members read their own usage: grouping by user or model, no other dimension. */
  protected readonly readsAll = computed(() => this.ability.canOn('read', 'Usage', { userId: '\u0000nobody' }));
  protected readonly groupBys = computed<readonly UsageGroupBy[]>(() =>
    this.readsAll() ? GROUP_BYS : ['NONE', 'USER', 'MODEL'],
  );
  protected readonly topBys = computed(() => (this.readsAll() ? TOP_BYS : (['MODEL', 'USER'] as const)));
  protected readonly dimensions = computed(() => (this.readsAll() ? FILTER_DIMENSIONS : (['NONE'] as const)));

  private readonly dimension = toSignal(
    this.form.controls.dimension.valueChanges.pipe(startWith(this.form.controls.dimension.value)),
    { requireSync: true },
  );
  private readonly optionsByKind = {
    KEY: this.names.options('KEY'),
    USER: this.names.options('USER'),
    TEAM: this.names.options('TEAM'),
    CHANNEL: this.names.options('CHANNEL'),
  };
  /** The choices for the filter's id; an empty list (not readable) lets the id be typed. */
  protected readonly dimensionOptions = computed(() => {
    const dimension = this.dimension();
    return dimension === 'NONE' ? [] : this.optionsByKind[dimension]();
  });

  /** The report shown: the form's values when Show was last pressed. */
  private readonly applied = signal<UsageFormValue>(this.form.getRawValue());
  protected readonly chartMetric = signal<UsageMetric>('REQUESTS');

  protected readonly series = rxResource({
    params: () => toSeriesVariables(this.applied()),
    stream: ({ params }) =>
      this.apollo
        .query({ query: USAGE_SERIES, variables: params, fetchPolicy: 'network-only' })
        .pipe(map((result) => result.data?.usageSeries ?? [])),
  });
  protected readonly top = rxResource({
    params: () => toTopVariables(this.applied()),
    stream: ({ params }) =>
      this.apollo
        .query({ query: USAGE_TOP, variables: params, fetchPolicy: 'network-only' })
        .pipe(map((result) => result.data?.usageTop ?? [])),
  });
  protected readonly seriesError = computed(() => (this.series.error() ? errorMessage(this.series.error()) : null));
  protected readonly topError = computed(() => (this.top.error() ? errorMessage(this.top.error()) : null));

  private readonly points = computed(() => (this.series.hasValue() ? this.series.value() : []));
  protected readonly empty = computed(() => this.series.hasValue() && this.points().length === 0);

  protected readonly chart = computed(() => {
    const metric = this.chartMetric();
    const groupBy = this.applied().groupBy;
    const locale = this.language.current();
    const lines = seriesLines(this.points(), metric, (group) => this.groupLabel(groupBy, group));
    const format = metric === 'COST' ? (v: number) => formatUsd(v, locale) : (v: number) => formatCount(v, locale);
    return {
      title: this.translate.instant('usage.seriesTitle', {
        metric: this.translate.instant(`common.metrics.${metric}`),
      }) as string,
      options: timeChartOptions(lines, { dark: this.theme.dark(), format, range: toRange(this.applied()) }),
      capped: groupTotals(this.points(), metric).length > MAX_LINES,
    };
  });
  protected readonly maxLines = MAX_LINES;

  protected readonly totals = computed(() => {
    const groupBy = this.applied().groupBy;
    const locale = this.language.current();
    return groupTotals(this.points(), this.chartMetric()).map((t) => ({
      key: t.group ?? '',
      group: this.groupLabel(groupBy, t.group),
      requests: formatCount(t.requests, locale),
      errors: formatCount(t.errors, locale),
      tokens: formatCount(t.totalTokens, locale),
      cost: formatUsd(t.costUsd, locale),
    }));
  });

  protected readonly topRows = computed(() => {
    const by = this.applied().topBy;
    const locale = this.language.current();
    return (this.top.hasValue() ? this.top.value() : []).map((entry) => ({
      key: entry.group,
      group: this.groupLabel(by, entry.group),
      requests: formatCount(entry.requests, locale),
      errors: formatCount(entry.errors, locale),
      tokens: formatCount(entry.totalTokens, locale),
      cost: formatUsd(entry.costUsd, locale),
      latency: formatMs(entry.latencyP95Ms),
    }));
  });
  protected readonly topTitle = computed(() => {
    this.language.current();
    const value = this.applied();
    return this.translate.instant('usage.topTitle', {
      by: this.translate.instant(`common.groups.${value.topBy}`),
      metric: this.translate.instant(`common.metrics.${value.metric}`),
    }) as string;
  });

  protected readonly exporting = signal(false);
  /** The name of the file last saved. */
  protected readonly exportMessage = signal<string | null>(null);
  protected readonly exportError = signal<string | null>(null);

  protected preset(preset: RangePreset): void {
    const { range, granularity } = presetRange(preset);
    this.form.patchValue({ from: localInput(range.from), to: localInput(range.to), granularity });
    this.show();
  }

  protected show(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    this.applied.set(this.form.getRawValue());
  }

  protected async export(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.exporting()) return;
    this.exporting.set(true);
    this.exportMessage.set(null);
    this.exportError.set(null);
    try {
      this.exportMessage.set(await this.exporter.download(exportParams(this.form.getRawValue())));
    } catch (error) {
      this.exportError.set((error as Error).message);
    } finally {
      this.exporting.set(false);
    }
  }

  /** The first error of the form as a translation key with its parameters. */
  protected formError(): { key: string; params?: Record<string, unknown> } | null {
    const errors = this.form.errors;
    if (!errors) return null;
    if (errors['rangeOrder']) return { key: 'usage.errors.rangeOrder' };
    if (errors['tooManyBuckets']) return { key: 'usage.errors.tooManyBuckets', params: errors['tooManyBuckets'] };
    if (errors['dimensionId']) return { key: 'usage.errors.dimensionId' };
    return { key: 'usage.errors.grouping' };
  }

  protected groupLabel(groupBy: string, group: string | null): string {
    if (groupBy === 'NONE' || group === null) return this.translate.instant('usage.total');
    if (group === '') return this.translate.instant('usage.unnamed');
    return groupBy === 'MODEL' ? group : this.names.label(groupBy as NamedKind, group);
  }
}
