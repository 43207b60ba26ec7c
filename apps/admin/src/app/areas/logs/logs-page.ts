import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  Injector,
  afterNextRender,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatDrawer, MatSidenavModule } from '@angular/material/sidenav';
import { MatSlideToggleModule, type MatSlideToggleChange } from '@angular/material/slide-toggle';
import { TranslatePipe } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import { map, type Subscription } from 'rxjs';
import { errorMessage } from '../../core/error-message';
import { formatCount, formatMs, formatTime, formatUsd } from '../../core/format';
import { LanguageService } from '../../core/i18n/i18n';
import { NamesService } from '../../core/names.service';
import { LogDetail } from './log-detail';
import {
  ERROR_CLASSES,
  MODEL_MATCHES,
  STATUS_CLASSES,
  logsFilterForm,
  toRequestLogFilter,
  toTailFilter,
} from './logs-filter';
import { REQUEST_LOGS, REQUEST_LOG_TAIL, type RequestLogFilter, type RequestLogRow } from './logs.graphql';
import { ENDPOINTS } from '@synapse/endpoints';

export const PAGE_SIZE = 50;
/** Rows the live tail keeps on screen. */
const TAIL_ROWS = 200;

/** Search of the request log with cursor paging, a details drawer and a live tail. */
@Component({
  selector: 'app-logs-page',
  imports: [
    ReactiveFormsModule,
    TranslatePipe,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatButtonModule,
    MatIconModule,
    MatSlideToggleModule,
    MatSidenavModule,
    LogDetail,
  ],
  templateUrl: './logs-page.html',
  styleUrls: ['../../ui/compact-table.css', './logs-page.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LogsPage {
  private readonly apollo = inject(Apollo);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);
  protected readonly names = inject(NamesService);
  protected readonly language = inject(LanguageService);

  protected readonly form = logsFilterForm();
  protected readonly statusClasses = STATUS_CLASSES;
  protected readonly endpoints = ENDPOINTS;
  protected readonly modelMatches = MODEL_MATCHES;
  protected readonly errorClasses = ERROR_CLASSES;
  protected readonly keyOptions = this.names.options('KEY');
  protected readonly userOptions = this.names.options('USER');
  protected readonly teamOptions = this.names.options('TEAM');
  protected readonly channelOptions = this.names.options('CHANNEL');

  /** The filter of the search shown, and the cursors of the pages before the current one. */
  private readonly applied = signal<RequestLogFilter>({});
  private readonly cursors = signal<(string | null)[]>([null]);
  protected readonly page = computed(() => this.cursors().length);

  protected readonly results = rxResource({
    params: () => ({ filter: this.applied(), first: PAGE_SIZE, after: this.cursors().at(-1) ?? null }),
    stream: ({ params }) =>
      this.apollo
        .query({ query: REQUEST_LOGS, variables: params, fetchPolicy: 'network-only' })
        .pipe(
          map((result) => result.data?.requestLogs ?? { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } }),
        ),
  });
  protected readonly searchError = computed(() => {
    const error = this.results.error();
    return error ? errorMessage(error) : null;
  });

  protected readonly tailing = signal(false);
  private readonly tailRows = signal<RequestLogRow[]>([]);
  protected readonly tailError = signal<string | null>(null);
  private tailSubscription: Subscription | null = null;

  protected readonly rows = computed(() => {
    const locale = this.language.current();
    const source = this.tailing() ? this.tailRows() : this.results.hasValue() ? this.results.value().nodes : [];
    return source.map((row) => ({
      id: row.id,
      time: formatTime(row.createdAt, locale),
      status: row.status,
      failed: row.status >= 400,
      model: row.requestedModel ?? row.upstreamModel ?? '—',
      key: this.names.label('KEY', row.keyId),
      user: this.names.label('USER', row.userId),
      channel: this.names.label('CHANNEL', row.channelId),
      route: row.routeName ?? '—',
      latency: formatMs(row.latencyMs),
      tokens: formatCount(row.totalTokens, locale),
      cost: formatUsd(row.costUsd, locale),
      error: row.errorClass ?? '',
    }));
  });
  protected readonly hasNext = computed(
    () => !this.tailing() && this.results.hasValue() && this.results.value().pageInfo.hasNextPage,
  );

  protected readonly selectedId = signal<string | null>(null);
  private readonly drawer = viewChild(MatDrawer);

  constructor() {
    this.destroyRef.onDestroy(() => this.tailSubscription?.unsubscribe());
  }

  protected search(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    this.applied.set(toRequestLogFilter(this.form.getRawValue()));
    this.cursors.set([null]);
    if (this.tailing()) this.startTail();
  }

  protected reset(): void {
    this.form.reset();
    this.search();
  }

  protected next(): void {
    const cursor = this.results.hasValue() ? this.results.value().pageInfo.endCursor : null;
    if (cursor) this.cursors.update((cursors) => [...cursors, cursor]);
  }

  protected previous(): void {
    this.cursors.update((cursors) => (cursors.length > 1 ? cursors.slice(0, -1) : cursors));
  }

  protected toggleTail(change: MatSlideToggleChange): void {
    if (change.checked) {
      this.tailing.set(true);
      this.startTail();
    } else {
      this.tailing.set(false);
      this.tailSubscription?.unsubscribe();
      this.tailSubscription = null;
      this.tailError.set(null);
    }
  }

  private startTail(): void {
    this.tailSubscription?.unsubscribe();
    this.tailRows.set([]);
    this.tailError.set(null);
    this.tailSubscription = this.apollo
      .subscribe({ query: REQUEST_LOG_TAIL, variables: { filter: toTailFilter(this.form.getRawValue()) } })
      .subscribe((result) => {
        if (result.error) this.tailError.set(errorMessage(result.error));
        const row = result.data?.requestLogTail;
        if (row) this.tailRows.update((rows) => [row, ...rows].slice(0, TAIL_ROWS));
      });
  }

  protected open(id: string): void {
    this.selectedId.set(id);
    // Opened by the method (not a binding), once the details are rendered, so that focus moves to
    // their first button and Escape closes the drawer.
    afterNextRender(() => void this.drawer()?.open(), { injector: this.injector });
  }

  protected close(): void {
    void this.drawer()?.close();
  }

  protected closed(): void {
    this.selectedId.set(null);
  }

  /** The message for a field's first error, as a translation key. */
  protected fieldError(name: keyof typeof this.form.controls): string | null {
    const control = this.form.controls[name];
    if (!control.errors) return null;
    if (control.hasError('dateTime')) return 'logs.errors.dateTime';
    if (control.hasError('maxlength')) return 'logs.errors.tooLong';
    if (name === 'status') return 'logs.errors.status';
    return 'logs.errors.latency';
  }

  protected formError(): string | null {
    const errors = this.form.errors;
    if (!errors) return null;
    if (errors['timeOrder']) return 'logs.errors.timeOrder';
    if (errors['latencyOrder']) return 'logs.errors.latencyOrder';
    return 'logs.errors.statusClass';
  }
}
