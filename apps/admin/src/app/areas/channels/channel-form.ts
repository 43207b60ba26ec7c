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
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslatePipe } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import { errorMessage } from '../../core/error-message';
import {
  CHANNEL_TYPES,
  CREATE_CHANNEL,
  UPDATE_CHANNEL,
  type Channel,
  type ChannelType,
  type CreateChannelInput,
  type UpdateChannelInput,
} from './channels.graphql';

/** 1-64 letters, digits, dots, dashes or underscores, as the gateway checks channel names. */
export const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** An http(s) URL, as the gateway demands of a base URL. */
export function httpUrl(control: AbstractControl<string>): ValidationErrors | null {
  const value = (control.value ?? '').trim();
  if (!value) return null;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname ? null : { url: true };
  } catch {
    return { url: true };
  }
}

/**
 * Required, blank text included. Not Validators.required on purpose: Material leaves aria-invalid
 * off an empty field it knows to be required, and an empty refused field must read as invalid.
 */
export function requiredText(control: AbstractControl<string>): ValidationErrors | null {
  return (control.value ?? '').trim() ? null : { required: true };
}

/** `a, b,,c ` → ['a', 'b', 'c']. */
export function splitList(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

function atLeastOne(control: AbstractControl<string>): ValidationErrors | null {
  return splitList(control.value ?? '').length ? null : { models: true };
}

function noSpaces(control: AbstractControl<string>): ValidationErrors | null {
  return /\s/.test((control.value ?? '').trim()) ? { spaces: true } : null;
}

export interface ChannelFormData {
  /** The channel to change; null to create one. */
  readonly channel: Channel | null;
}

/**
 * Creates or changes a channel, in a dialog. Every field is checked where it is typed; nothing is
 * sent while one is wrong, and a refusal of the gateway (another origin without the key, a name
 * taken) is shown as text while the dialog stays open. The API key is write-only: on an edit, an
 * empty field keeps the stored key.
 */
@Component({
  selector: 'app-channel-form',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSlideToggleModule,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <h2 mat-dialog-title>
        {{ (channel ? 'channels.form.editTitle' : 'channels.form.createTitle') | translate: { name: channel?.name } }}
      </h2>
      <mat-dialog-content class="fields">
        <mat-form-field appearance="outline">
          <mat-label>{{ 'channels.fields.name' | translate }}</mat-label>
          <input matInput formControlName="name" data-testid="channels-field-name" autocomplete="off" />
          <mat-hint>{{ 'channels.hints.name' | translate }}</mat-hint>
          @if (fieldError('name'); as error) {
            <mat-error>{{ error | translate }}</mat-error>
          }
        </mat-form-field>

        <mat-form-field appearance="outline">
          <mat-label>{{ 'channels.fields.type' | translate }}</mat-label>
          <select matNativeControl formControlName="type" data-testid="channels-field-type">
            @for (type of types; track type) {
              <option [value]="type">{{ 'channels.types.' + type | translate }}</option>
            }
          </select>
        </mat-form-field>

        <mat-form-field appearance="outline">
          <mat-label>{{ 'channels.fields.baseUrl' | translate }}</mat-label>
          <input
            matInput
            type="url"
            formControlName="baseUrl"
            data-testid="channels-field-baseUrl"
            autocomplete="off"
            placeholder="https://api.openai.com/v1"
          />
          <mat-hint>{{ 'channels.hints.baseUrl' | translate }}</mat-hint>
          @if (fieldError('baseUrl'); as error) {
            <mat-error>{{ error | translate }}</mat-error>
          }
        </mat-form-field>

        <mat-form-field appearance="outline">
          <mat-label>{{ 'channels.fields.apiKey' | translate }}</mat-label>
          <input
            matInput
            type="password"
            formControlName="apiKey"
            data-testid="channels-field-apiKey"
            autocomplete="new-password"
          />
          <mat-hint>
            @if (channel) {
              {{
                'channels.hints.apiKeyEdit' | translate: { hint: channel.apiKeyHint ?? ('channels.noKey' | translate) }
              }}
            } @else {
              {{ 'channels.hints.apiKeyNew' | translate }}
            }
          </mat-hint>
          @if (fieldError('apiKey'); as error) {
            <mat-error>{{ error | translate }}</mat-error>
          }
        </mat-form-field>

        <mat-form-field appearance="outline">
          <mat-label>{{ 'channels.fields.models' | translate }}</mat-label>
          <input
            matInput
            formControlName="models"
            data-testid="channels-field-models"
            autocomplete="off"
            placeholder="gpt-4o, gpt-4o-mini"
          />
          <mat-hint>{{ 'channels.hints.models' | translate }}</mat-hint>
          @if (fieldError('models'); as error) {
            <mat-error>{{ error | translate }}</mat-error>
          }
        </mat-form-field>

        <mat-slide-toggle formControlName="enabled" data-testid="channels-field-enabled">
          {{ 'channels.fields.enabled' | translate }}
        </mat-slide-toggle>

        @if (error(); as message) {
          <p class="error" role="alert" data-testid="channels-error">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'channels.actions.cancel' | translate }}</button>
        <button mat-flat-button type="submit" data-testid="channels-save" [disabled]="saving()">
          {{ (channel ? 'channels.actions.save' : 'channels.actions.create') | translate }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .fields {
      display: flex;
      flex-direction: column;
      gap: 4px;
      min-width: min(520px, 80vw);
    }
    mat-slide-toggle {
      margin: 8px 0;
    }
    .error {
      color: var(--mat-sys-error);
      font: var(--mat-sys-body-medium);
    }
  `,
})
export class ChannelForm {
  private readonly apollo = inject(Apollo);
  private readonly dialogRef = inject<MatDialogRef<ChannelForm, Channel>>(MatDialogRef);
  protected readonly channel = inject<ChannelFormData>(MAT_DIALOG_DATA).channel;

  protected readonly types = CHANNEL_TYPES;
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected readonly form = new FormGroup({
    name: new FormControl(this.channel?.name ?? '', {
      nonNullable: true,
      validators: [requiredText, Validators.pattern(NAME_PATTERN)],
    }),
    type: new FormControl<ChannelType>(this.channel?.type ?? 'OPENAI', { nonNullable: true }),
    baseUrl: new FormControl(this.channel?.baseUrl ?? '', {
      nonNullable: true,
      validators: [requiredText, httpUrl],
    }),
    apiKey: new FormControl('', { nonNullable: true, validators: [noSpaces] }),
    models: new FormControl(this.channel?.models.join(', ') ?? '', {
      nonNullable: true,
      validators: [requiredText, atLeastOne],
    }),
    enabled: new FormControl(this.channel?.enabled ?? true, { nonNullable: true }),
  });

  protected fieldError(name: 'name' | 'baseUrl' | 'apiKey' | 'models'): string | null {
    const control = this.form.controls[name];
    if (control.hasError('required')) return 'channels.errors.required';
    if (control.hasError('pattern')) return 'channels.errors.name';
    if (control.hasError('url')) return 'channels.errors.url';
    if (control.hasError('models')) return 'channels.errors.models';
    if (control.hasError('spaces')) return 'channels.errors.spaces';
    return null;
  }

  protected submit(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.saving()) return;
    this.saving.set(true);
    this.error.set(null);
    const handlers = {
      error: (error: unknown) => {
        this.saving.set(false);
        this.error.set(errorMessage(error));
      },
    };
    const channel = this.channel;
    if (channel) {
      this.apollo.mutate({ mutation: UPDATE_CHANNEL, variables: { id: channel.id, input: this.changes() } }).subscribe({
        next: (result) => {
          this.saving.set(false);
          if (result.data) this.dialogRef.close(result.data.updateChannel);
        },
        ...handlers,
      });
    } else {
      this.apollo.mutate({ mutation: CREATE_CHANNEL, variables: { input: this.creation() } }).subscribe({
        next: (result) => {
          this.saving.set(false);
          if (result.data) this.dialogRef.close(result.data.createChannel);
        },
        ...handlers,
      });
    }
  }

  private creation(): CreateChannelInput {
    const value = this.form.getRawValue();
    return {
      name: value.name.trim(),
      type: value.type,
      baseUrl: value.baseUrl.trim(),
      models: splitList(value.models),
      apiKey: value.apiKey.trim() || null,
      enabled: value.enabled,
    };
  }

  /** Only what changed; an empty key field keeps the stored key (the field is left out). */
  private changes(): UpdateChannelInput {
    const all = this.creation();
    const controls = this.form.controls;
    const input: UpdateChannelInput = {};
    if (controls.name.dirty && all.name !== this.channel?.name) input.name = all.name;
    if (controls.type.dirty && all.type !== this.channel?.type) input.type = all.type;
    if (controls.baseUrl.dirty && all.baseUrl !== this.channel?.baseUrl) input.baseUrl = all.baseUrl;
    if (controls.models.dirty) input.models = all.models;
    if (controls.enabled.dirty) input.enabled = all.enabled;
    if (all.apiKey) input.apiKey = all.apiKey;
    return input;
  }
}
