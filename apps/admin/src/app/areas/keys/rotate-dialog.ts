import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { TranslatePipe } from '@ngx-translate/core';

/** How long the old secret keeps working after a rotation (the API takes 0 to 7 days). */
export const GRACE_OPTIONS = [
  { seconds: 0, label: 'keys.rotate.graceNone' },
  { seconds: 600, label: 'keys.rotate.grace10m' },
  { seconds: 3600, label: 'keys.rotate.grace1h' },
  { seconds: 86400, label: 'keys.rotate.grace1d' },
  { seconds: 604800, label: 'keys.rotate.grace7d' },
] as const;

/** Asks how long the old secret should keep working; closes with the grace in seconds. */
@Component({
  selector: 'app-rotate-dialog',
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatSelectModule, ReactiveFormsModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>{{ 'keys.rotate.title' | translate: { name: data.name } }}</h2>
    <mat-dialog-content>
      <p>{{ 'keys.rotate.message' | translate }}</p>
      <mat-form-field appearance="outline">
        <mat-label>{{ 'keys.rotate.grace' | translate }}</mat-label>
        <mat-select [formControl]="grace" data-testid="keys-field-grace">
          @for (option of options; track option.seconds) {
            <mat-option [value]="option.seconds">{{ option.label | translate }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="undefined">{{ 'keys.actions.cancel' | translate }}</button>
      <button mat-flat-button type="button" [mat-dialog-close]="grace.value" data-testid="keys-rotate-confirm">
        {{ 'keys.actions.rotate' | translate }}
      </button>
    </mat-dialog-actions>
  `,
})
export class RotateDialog {
  protected readonly data = inject<{ name: string }>(MAT_DIALOG_DATA);
  protected readonly options = GRACE_OPTIONS;
  protected readonly grace = new FormControl<number>(3600, { nonNullable: true });
}
