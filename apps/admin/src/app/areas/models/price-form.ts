import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  Validators,
  type AbstractControl,
  type ValidationErrors,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslatePipe } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import { errorMessage } from '../../core/error-message';
import { requiredText } from '../channels/channel-form';
import { SET_MODEL_PRICE, type ModelPrice, type SetModelPriceInput } from './models.graphql';

/** The gateway's bounds of a price: USD per million tokens, per call, per minute or per million characters. */
export const MAX_PRICE = 10_000;

function requiredNumber(control: AbstractControl<number | null>): ValidationErrors | null {
  return control.value === null || control.value === undefined ? { required: true } : null;
}

function finite(control: AbstractControl<number | null>): ValidationErrors | null {
  const value = control.value;
  return value === null || value === undefined || Number.isFinite(value) ? null : { number: true };
}

function priceControl(value: number | null, required: boolean): FormControl<number | null> {
  return new FormControl<number | null>(value, {
    validators: [...(required ? [requiredNumber] : []), finite, Validators.min(0), Validators.max(MAX_PRICE)],
  });
}

export interface PriceFormData {
  /** The price to start from (any source); null for a new model. */
  readonly price: ModelPrice | null;
}

/**
 * Sets a model's runtime price (the API's setModelPrice): input, output and cached-input prices,
 * and for what is not billed by tokens per call, per audio minute and per million characters,
 * each a number from 0 to 10,000 checked where it is typed. Nothing is sent while one is wrong; a
 * refusal is shown as text while the dialog stays open.
 */
@Component({
  selector: 'app-price-form',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <h2 mat-dialog-title>
        {{ (price ? 'models.form.editTitle' : 'models.form.createTitle') | translate: { model: price?.model } }}
      </h2>
      <mat-dialog-content class="fields">
        <p class="muted">{{ 'models.form.note' | translate }}</p>
        <mat-form-field appearance="outline">
          <mat-label>{{ 'models.fields.model' | translate }}</mat-label>
          <input
            matInput
            formControlName="model"
            data-testid="models-field-model"
            autocomplete="off"
            placeholder="gpt-4o*"
          />
          <mat-hint>{{ 'models.hints.model' | translate }}</mat-hint>
          @if (fieldError('model'); as error) {
            <mat-error>{{ error | translate }}</mat-error>
          }
        </mat-form-field>
        @for (name of priceFields; track name) {
          <mat-form-field appearance="outline">
            <mat-label>{{ 'models.fields.' + name | translate }}</mat-label>
            <input
              matInput
              type="number"
              min="0"
              step="any"
              [formControlName]="name"
              [attr.data-testid]="'models-field-' + name"
            />
            <span matTextPrefix>$&nbsp;</span>
            <mat-hint>{{
              'models.hints.' + (name === 'input' || name === 'output' ? 'price' : name) | translate
            }}</mat-hint>
            @if (fieldError(name); as error) {
              <mat-error>{{ error | translate }}</mat-error>
            }
          </mat-form-field>
        }
        @if (error(); as message) {
          <p class="error" role="alert" data-testid="models-error">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'models.actions.cancel' | translate }}</button>
        <button mat-flat-button type="submit" data-testid="models-save" [disabled]="saving()">
          {{ 'models.actions.save' | translate }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .fields {
      display: flex;
      flex-direction: column;
      gap: 4px;
      min-width: min(460px, 80vw);
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .error {
      color: var(--mat-sys-error);
      font: var(--mat-sys-body-medium);
    }
  `,
})
export class PriceForm {
  private readonly apollo = inject(Apollo);
  private readonly dialogRef = inject<MatDialogRef<PriceForm, ModelPrice>>(MatDialogRef);
  protected readonly price = inject<PriceFormData>(MAT_DIALOG_DATA).price;

  protected readonly priceFields = [
    'input',
    'output',
    'cachedInput',
    'perCall',
    'perMinute',
    'perMillionCharacters',
  ] as const;
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected readonly form = new FormGroup({
    model: new FormControl(
      { value: this.price?.model ?? '', disabled: this.price !== null },
      { nonNullable: true, validators: [requiredText, Validators.pattern(/^\S{1,200}$/)] },
    ),
    input: priceControl(this.price?.input ?? null, true),
    output: priceControl(this.price?.output ?? null, true),
    cachedInput: priceControl(this.price?.cachedInput ?? null, false),
    perCall: priceControl(this.price?.perCall ?? null, false),
    perMinute: priceControl(this.price?.perMinute ?? null, false),
    perMillionCharacters: priceControl(this.price?.perMillionCharacters ?? null, false),
  });

  protected fieldError(name: 'model' | (typeof this.priceFields)[number]): string | null {
    const control = this.form.controls[name];
    if (control.hasError('required')) return 'models.errors.required';
    if (control.hasError('pattern')) return 'models.errors.model';
    if (control.hasError('number')) return 'models.errors.number';
    if (control.hasError('min')) return 'models.errors.min';
    if (control.hasError('max')) return 'models.errors.max';
    return null;
  }

  protected submit(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.saving()) return;
    const value = this.form.getRawValue();
    const input: SetModelPriceInput = {
      model: value.model.trim(),
      input: value.input ?? 0,
      output: value.output ?? 0,
      cachedInput: value.cachedInput,
      perCall: value.perCall,
      perMinute: value.perMinute,
      perMillionCharacters: value.perMillionCharacters,
    };
    this.saving.set(true);
    this.error.set(null);
    this.apollo.mutate({ mutation: SET_MODEL_PRICE, variables: { input } }).subscribe({
      next: (result) => {
        this.saving.set(false);
        if (result.data) this.dialogRef.close(result.data.setModelPrice);
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.error.set(errorMessage(error));
      },
    });
  }
}
