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
import { FormControl, FormGroup, ReactiveFormsModule, Validators, type AbstractControl } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslatePipe } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import { type Observable, map } from 'rxjs';
import { errorMessage } from '../../core/error-message';
import {
  CREATE_NOTIFICATION_CHANNEL,
  UPDATE_NOTIFICATION_CHANNEL,
  type CreateNotificationChannelInput,
  type NotificationChannel,
  type NotificationChannelKind,
  type SmtpSettingsInput,
  type UpdateNotificationChannelInput,
} from './alerts.graphql';
import {
  NAME_PATTERN,
  emailListValidator,
  firstError,
  httpUrlValidator,
  isEmail,
  numberValidator,
  splitList,
  toNumber,
} from './form-utils';

export const NOTIFICATION_KINDS: readonly NotificationChannelKind[] = [
  'WEBHOOK',
  'SLACK',
  'DINGTALK',
  'FEISHU',
  'WECOM',
  'EMAIL',
];

/** The kinds whose requests are signed with a secret. */
export const SIGNED_KINDS: readonly NotificationChannelKind[] = ['WEBHOOK', 'DINGTALK', 'FEISHU'];

function emailValidator(control: AbstractControl<string>) {
  const text = String(control.value ?? '').trim();
  return text === '' || isEmail(text) ? null : { email: true };
}

type FieldName = 'name' | 'webhookUrl' | 'host' | 'port' | 'from' | 'to';

/**
 * Creates a notification channel or changes one. The fields follow the kind: a webhook URL for
 * every kind but email, a signing secret for webhooks, DingTalk and Feishu, the SMTP settings for
 * email. Secrets are write-only: on a change, an empty field keeps what is stored.
 */
@Component({
  selector: 'app-notification-channel-form',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSlideToggleModule,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './channel-form.html',
  styleUrls: ['../../ui/area-page.css', './alerts.css'],
})
export class ChannelForm implements OnInit {
  private readonly apollo = inject(Apollo);
  private readonly destroyRef = inject(DestroyRef);

  /** The channel to change; null to create one. */
  readonly channel = input<NotificationChannel | null>(null);
  readonly saved = output<NotificationChannel>();
  readonly cancelled = output<void>();

  protected readonly kinds = NOTIFICATION_KINDS;
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly editing = computed(() => this.channel() !== null);
  protected readonly kind = signal<NotificationChannelKind>('WEBHOOK');
  protected readonly isEmail = computed(() => this.kind() === 'EMAIL');
  protected readonly isSigned = computed(() => SIGNED_KINDS.includes(this.kind()));

  protected readonly form = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(NAME_PATTERN)],
    }),
    kind: new FormControl<NotificationChannelKind>('WEBHOOK', { nonNullable: true }),
    webhookUrl: new FormControl('', { nonNullable: true, validators: [Validators.required, httpUrlValidator] }),
    secret: new FormControl('', { nonNullable: true }),
    clearSecret: new FormControl(false, { nonNullable: true }),
    host: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    port: new FormControl('587', {
      nonNullable: true,
      validators: [Validators.required, numberValidator((n) => n >= 1 && n <= 65535, 'port', true)],
    }),
    secure: new FormControl(false, { nonNullable: true }),
    user: new FormControl('', { nonNullable: true }),
    password: new FormControl('', { nonNullable: true }),
    from: new FormControl('', { nonNullable: true, validators: [Validators.required, emailValidator] }),
    to: new FormControl('', { nonNullable: true, validators: [Validators.required, emailListValidator] }),
    enabled: new FormControl(true, { nonNullable: true }),
  });

  constructor() {
    this.form.controls.kind.valueChanges.pipe(takeUntilDestroyed()).subscribe((kind) => this.applyKind(kind));
  }

  ngOnInit(): void {
    const channel = this.channel();
    if (channel) {
      this.form.reset(
        {
          name: channel.name,
          kind: channel.kind,
          host: channel.smtp?.host ?? '',
          port: String(channel.smtp?.port ?? 587),
          secure: channel.smtp?.secure ?? false,
          user: channel.smtp?.user ?? '',
          from: channel.smtp?.from ?? '',
          to: (channel.smtp?.to ?? []).join(', '),
          enabled: channel.enabled,
        },
        { emitEvent: false },
      );
      // The kind cannot change (the API takes no new kind); the stored URL is kept when left empty.
      this.form.controls.kind.disable({ emitEvent: false });
      this.form.controls.webhookUrl.setValidators([httpUrlValidator]);
    }
    this.applyKind(this.form.controls.kind.value);
  }

  protected fieldError(name: FieldName) {
    const control: AbstractControl = this.form.controls[name];
    return control.invalid ? firstError(control) : null;
  }

  protected submit(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.saving()) return;
    const channel = this.channel();
    this.saving.set(true);
    this.error.set(null);
    const request: Observable<NotificationChannel | undefined> = channel
      ? this.apollo
          .mutate({ mutation: UPDATE_NOTIFICATION_CHANNEL, variables: { id: channel.id, input: this.update() } })
          .pipe(map((r) => r.data?.updateNotificationChannel))
      : this.apollo
          .mutate({ mutation: CREATE_NOTIFICATION_CHANNEL, variables: { input: this.creation() } })
          .pipe(map((r) => r.data?.createNotificationChannel));
    request.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: (saved) => {
        this.saving.set(false);
        if (saved) this.saved.emit(saved);
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.error.set(errorMessage(error));
      },
    });
  }

  private creation(): CreateNotificationChannelInput {
    const value = this.form.getRawValue();
    const input: CreateNotificationChannelInput = { name: value.name.trim(), kind: value.kind, enabled: value.enabled };
    if (value.kind === 'EMAIL') input.smtp = this.smtp();
    else input.webhookUrl = value.webhookUrl.trim();
    if (this.isSigned() && value.secret) input.secret = value.secret;
    return input;
  }

  /** What changed: an empty URL, secret or password keeps the stored one. */
  private update(): UpdateNotificationChannelInput {
    const value = this.form.getRawValue();
    const input: UpdateNotificationChannelInput = { name: value.name.trim(), enabled: value.enabled };
    if (value.kind === 'EMAIL') input.smtp = this.smtp();
    else if (value.webhookUrl.trim()) input.webhookUrl = value.webhookUrl.trim();
    if (this.isSigned()) {
      if (value.clearSecret) input.secret = null;
      else if (value.secret) input.secret = value.secret;
    }
    return input;
  }

  private smtp(): SmtpSettingsInput {
    const value = this.form.getRawValue();
    const smtp: SmtpSettingsInput = {
      host: value.host.trim(),
      port: toNumber(value.port) ?? 587,
      secure: value.secure,
      user: value.user.trim() || null,
      from: value.from.trim(),
      to: splitList(value.to),
    };
    if (value.password) smtp.password = value.password;
    return smtp;
  }

  /** Turns the kind's fields on and the others off (disabled fields are neither checked nor sent). */
  private applyKind(kind: NotificationChannelKind): void {
    this.kind.set(kind);
    const c = this.form.controls;
    const email = kind === 'EMAIL';
    for (const control of [c.host, c.port, c.secure, c.user, c.password, c.from, c.to]) {
      if (email) control.enable();
      else control.disable();
    }
    if (email) c.webhookUrl.disable();
    else c.webhookUrl.enable();
    if (SIGNED_KINDS.includes(kind)) {
      c.secret.enable();
      c.clearSecret.enable();
    } else {
      c.secret.disable();
      c.clearSecret.disable();
    }
  }
}
