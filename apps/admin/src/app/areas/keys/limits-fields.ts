import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslatePipe } from '@ngx-translate/core';
import { BUDGET_LIMITS, COUNT_LIMITS, type LimitsFormGroup } from './limits-form';

/**
 * The caps of a key, a user or a team (requests and tokens per minute, concurrency, per-call caps,
 * daily and monthly budgets), each checked at its field. Test ids: `<testIdPrefix>-field-<limit>`.
 */
@Component({
  selector: 'app-limits-fields',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <fieldset class="limits" [formGroup]="group()">
      <legend>{{ 'keys.limits.title' | translate }}</legend>
      <p class="hint">{{ 'keys.limits.hint' | translate }}</p>
      <div class="grid">
        @for (name of counts; track name) {
          <mat-form-field appearance="outline">
            <mat-label>{{ 'keys.limits.' + name | translate }}</mat-label>
            <input
              matInput
              type="number"
              min="1"
              step="1"
              [formControlName]="name"
              [attr.data-testid]="testIdPrefix() + '-field-' + name"
            />
            @if (group().controls[name].hasError('integer')) {
              <mat-error>{{ 'keys.errors.integer' | translate }}</mat-error>
            } @else if (group().controls[name].hasError('min')) {
              <mat-error>{{ 'keys.errors.atLeastOne' | translate }}</mat-error>
            }
          </mat-form-field>
        }
        @for (name of budgets; track name) {
          <mat-form-field appearance="outline">
            <mat-label>{{ 'keys.limits.' + name | translate }}</mat-label>
            <span matTextPrefix>$&nbsp;</span>
            <input
              matInput
              type="number"
              min="0"
              step="0.01"
              [formControlName]="name"
              [attr.data-testid]="testIdPrefix() + '-field-' + name"
            />
            @if (group().controls[name].hasError('positive')) {
              <mat-error>{{ 'keys.errors.positive' | translate }}</mat-error>
            }
          </mat-form-field>
        }
      </div>
    </fieldset>
  `,
  styles: `
    .limits {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      padding: 8px 16px;
      margin: 8px 0;
    }
    legend {
      padding: 0 4px;
      font: var(--mat-sys-title-small);
    }
    .hint {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
      margin: 0 0 8px;
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(180px, 1fr));
      gap: 0 12px;
    }
  `,
})
export class LimitsFields {
  readonly group = input.required<LimitsFormGroup>();
  readonly testIdPrefix = input.required<string>();
  protected readonly counts = COUNT_LIMITS;
  protected readonly budgets = BUDGET_LIMITS;
}
