import { DatePipe, DecimalPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  OnInit,
  computed,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslatePipe } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import { errorMessage } from '../../core/error-message';
import { KEY_USAGE, type GatewayKey, type KeyUsageDay } from './keys.graphql';

/** Days of usage shown for a key. */
export const USAGE_DAYS = 30;

/** A key's usage over the last 30 UTC days, per day and in total, with its spend counters. */
@Component({
  selector: 'app-key-usage',
  imports: [DatePipe, DecimalPipe, MatButtonModule, MatProgressBarModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section
      class="panel"
      data-testid="keys-usage-panel"
      [attr.aria-label]="'keys.usage.title' | translate: { name: key().name }"
    >
      <h2>{{ 'keys.usage.title' | translate: { name: key().name } }}</h2>
      @if (key().spend; as spend) {
        <p>
          {{ 'keys.spendToday' | translate: { usd: (spend.todayUsd | number: '1.2-4') } }} ·
          {{ 'keys.spendMonth' | translate: { usd: (spend.monthUsd | number: '1.2-4') } }}
        </p>
      }
      @if (loading()) {
        <mat-progress-bar mode="indeterminate" [attr.aria-label]="'keys.loading' | translate" />
      } @else if (error(); as message) {
        <p class="error" role="alert" data-testid="keys-error">{{ message }}</p>
      } @else if (days().length === 0) {
        <p class="muted" data-testid="keys-usage-empty">{{ 'keys.usage.empty' | translate: { days: usageDays } }}</p>
      } @else {
        <div class="table-wrap">
          <table class="usage">
            <thead>
              <tr>
                <th scope="col">{{ 'keys.usage.day' | translate }}</th>
                <th scope="col">{{ 'keys.usage.requests' | translate }}</th>
                <th scope="col">{{ 'keys.usage.errors' | translate }}</th>
                <th scope="col">{{ 'keys.usage.tokens' | translate }}</th>
                <th scope="col">{{ 'keys.usage.cost' | translate }}</th>
              </tr>
            </thead>
            <tbody>
              @for (day of days(); track day.bucketStart) {
                <tr>
                  <td>{{ day.bucketStart | date: 'yyyy-MM-dd' : 'UTC' }}</td>
                  <td>{{ day.requests | number }}</td>
                  <td>{{ day.errors | number }}</td>
                  <td>{{ day.totalTokens | number }}</td>
                  <td>{{ day.costUsd | number: '1.2-4' }}</td>
                </tr>
              }
            </tbody>
            <tfoot>
              <tr data-testid="keys-usage-total">
                <th scope="row">{{ 'keys.usage.total' | translate: { days: usageDays } }}</th>
                <td>{{ total().requests | number }}</td>
                <td>{{ total().errors | number }}</td>
                <td>{{ total().totalTokens | number }}</td>
                <td>{{ total().costUsd | number: '1.2-4' }}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      }
      <div class="actions">
        <button mat-button type="button" (click)="closed.emit()">{{ 'keys.actions.close' | translate }}</button>
      </div>
    </section>
  `,
  styleUrls: ['../../ui/area-page.css', './keys.css'],
})
export class KeyUsage implements OnInit {
  private readonly apollo = inject(Apollo);
  private readonly destroyRef = inject(DestroyRef);

  readonly key = input.required<GatewayKey>();
  readonly closed = output<void>();

  protected readonly usageDays = USAGE_DAYS;
  protected readonly days = signal<KeyUsageDay[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly total = computed(() =>
    this.days().reduce(
      (sum, day) => ({
        requests: sum.requests + day.requests,
        errors: sum.errors + day.errors,
        totalTokens: sum.totalTokens + day.totalTokens,
        costUsd: sum.costUsd + day.costUsd,
      }),
      { requests: 0, errors: 0, totalTokens: 0, costUsd: 0 },
    ),
  );

  ngOnInit(): void {
    const now = new Date();
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (USAGE_DAYS - 1)));
    this.apollo
      .query({
        query: KEY_USAGE,
        variables: { keyId: this.key().id, from: from.toISOString(), to: now.toISOString() },
        fetchPolicy: 'network-only',
      })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (result) => {
          this.days.set(result.data?.usageSeries ?? []);
          this.loading.set(false);
        },
        error: (error: unknown) => {
          this.error.set(errorMessage(error));
          this.loading.set(false);
        },
      });
  }
}
