import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { TranslatePipe } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import { map } from 'rxjs';
import { errorMessage } from '../../core/error-message';
import { formatCount, formatUsd } from '../../core/format';
import { LanguageService } from '../../core/i18n/i18n';
import { NamesService } from '../../core/names.service';
import { OVERVIEW_TOP, type TopBy, type UsageRange } from './overview.graphql';

/** The five keys, users, channels or models with the most requests over a range. */
@Component({
  selector: 'app-overview-top-list',
  imports: [TranslatePipe],
  template: `
    <section class="card" [attr.data-testid]="'overview-top-' + by().toLowerCase()">
      <h2>{{ 'overview.top.' + by() | translate }}</h2>
      @if (entries.error(); as error) {
        <p class="error-text" data-testid="overview-error">{{ message(error) }}</p>
      } @else if (entries.hasValue() && rows().length === 0) {
        <p class="empty-text">{{ 'overview.top.empty' | translate }}</p>
      } @else {
        <table>
          <thead>
            <tr>
              <th scope="col">{{ 'overview.top.name' | translate }}</th>
              <th scope="col" class="num">{{ 'overview.top.requests' | translate }}</th>
              <th scope="col" class="num">{{ 'overview.top.errors' | translate }}</th>
              <th scope="col" class="num">{{ 'overview.top.cost' | translate }}</th>
            </tr>
          </thead>
          <tbody>
            @for (row of rows(); track row.group) {
              <tr data-testid="overview-top-row">
                <td class="name">{{ row.name || ('overview.top.unnamed' | translate) }}</td>
                <td class="num">{{ row.requests }}</td>
                <td class="num">{{ row.errors }}</td>
                <td class="num">{{ row.cost }}</td>
              </tr>
            }
          </tbody>
        </table>
      }
    </section>
  `,
  styleUrls: ['../../ui/card.css', '../../ui/compact-table.css'],
  styles: `
    th,
    td {
      padding: 4px 6px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .num {
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    .name {
      overflow-wrap: anywhere;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TopList {
  private readonly apollo = inject(Apollo);
  private readonly names = inject(NamesService);
  private readonly language = inject(LanguageService);

  readonly by = input.required<TopBy>();
  readonly range = input.required<UsageRange>();

  protected readonly entries = rxResource({
    params: () => ({ by: this.by(), range: this.range() }),
    stream: ({ params }) =>
      this.apollo
        .query({ query: OVERVIEW_TOP, variables: params, fetchPolicy: 'network-only' })
        .pipe(map((result) => result.data?.usageTop ?? [])),
  });

  protected readonly rows = computed(() => {
    const locale = this.language.current();
    return (this.entries.hasValue() ? this.entries.value() : []).map((entry) => ({
      group: entry.group,
      name: entry.group === '' ? '' : this.names.label(this.by(), entry.group),
      requests: formatCount(entry.requests, locale),
      errors: formatCount(entry.errors, locale),
      cost: formatUsd(entry.costUsd, locale),
    }));
  });

  protected message(error: unknown): string {
    return errorMessage(error);
  }
}
