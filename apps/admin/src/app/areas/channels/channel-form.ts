import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  FormArray,
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
import { headerGroup, headerOrTimeoutError, positiveWholeMs, type HeaderGroup } from './channel-fields';
import {
  CHANNEL_TYPES,
  CREATE_CHANNEL,
  UPDATE_CHANNEL,
  type Channel,
  type ChannelTimeouts,
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
 * taken) is shown as text while the dialog stays open. The API key and header values are
 * write-only: on an edit, an empty key field keeps the stored key, and headers left untouched stay
 * as they are (changing any of them replaces them all, so every value is asked for again).
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
  templateUrl: './channel-form.html',
  styleUrl: './channel-form.css',
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
    headers: new FormArray<HeaderGroup>((this.channel?.headerNames ?? []).map((name) => headerGroup(name))),
    timeouts: new FormGroup({
      connectMs: timeoutControl(this.channel?.timeouts?.connectMs),
      firstByteMs: timeoutControl(this.channel?.timeouts?.firstByteMs),
      totalMs: timeoutControl(this.channel?.timeouts?.totalMs),
    }),
  });
  protected readonly timeoutFields = ['connectMs', 'firstByteMs', 'totalMs'] as const;
  protected readonly headerOrTimeoutError = headerOrTimeoutError;

  protected get headers(): FormArray<HeaderGroup> {
    return this.form.controls.headers;
  }

  protected addHeader(): void {
    this.headers.push(headerGroup());
    this.headers.markAsDirty();
  }

  protected removeHeader(index: number): void {
    this.headers.removeAt(index);
    this.headers.markAsDirty();
    this.recheckHeaderNames();
  }

  /** A name's uniqueness depends on the other rows: checked again whenever one changes. */
  protected recheckHeaderNames(): void {
    for (const row of this.headers.controls) row.controls.name.updateValueAndValidity({ emitEvent: false });
  }

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
    this.recheckHeaderNames();
    this.askForHeaderValues();
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

  /**
   * Values are write-only, and a change to the headers replaces them all: a new row needs its
   * value, and so does every row once the headers of a stored channel are changed at all.
   */
  private askForHeaderValues(): void {
    const rows = this.headers.controls;
    const replacing = !this.channel || this.headers.dirty;
    for (const row of rows) {
      const value = row.controls.value;
      if (replacing && !value.value && !value.hasError('lineBreak')) {
        value.setErrors({ [this.channel ? 'valueAgain' : 'required']: true });
      }
    }
  }

  private creation(): CreateChannelInput {
    const value = this.form.getRawValue();
    const input: CreateChannelInput = {
      name: value.name.trim(),
      type: value.type,
      baseUrl: value.baseUrl.trim(),
      models: splitList(value.models),
      apiKey: value.apiKey.trim() || null,
      enabled: value.enabled,
    };
    if (value.headers.length) input.headers = this.headerInput();
    const timeouts = this.timeoutInput();
    if (timeouts) input.timeouts = timeouts;
    return input;
  }

  private headerInput(): { name: string; value: string }[] {
    return this.form.getRawValue().headers.map((h) => ({ name: h.name.trim(), value: h.value }));
  }

  /** Only the timeouts given; null when none is (the gateway's defaults). */
  private timeoutInput(): ChannelTimeouts | null {
    const given = Object.entries(this.form.getRawValue().timeouts).filter(([, ms]) => ms !== null);
    return given.length ? (Object.fromEntries(given) as ChannelTimeouts) : null;
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
    if (controls.headers.dirty) input.headers = this.headerInput();
    if (controls.timeouts.dirty) input.timeouts = this.timeoutInput();
    return input;
  }
}

function timeoutControl(ms: number | null | undefined) {
  return new FormControl<number | null>(ms ?? null, { validators: [positiveWholeMs] });
}
