import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { NgxEchartsDirective } from 'ngx-echarts';

/** A titled chart: ECharts through ngx-echarts, resized with its container. */
@Component({
  selector: 'app-chart-card',
  imports: [NgxEchartsDirective],
  template: `
    <section class="card" [attr.aria-label]="title()">
      <h2>{{ title() }}</h2>
      @if (empty()) {
        <p class="empty">{{ emptyText() }}</p>
      } @else {
        <div class="chart" echarts [options]="options()" role="img" [attr.aria-label]="title()"></div>
      }
    </section>
  `,
  styleUrls: ['../../ui/card.css'],
  styles: `
    .chart {
      height: 240px;
    }
    .empty {
      height: 240px;
      display: grid;
      place-items: center;
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChartCard {
  readonly title = input.required<string>();
  readonly options = input.required<Record<string, unknown>>();
  readonly empty = input(false);
  readonly emptyText = input('');
}
