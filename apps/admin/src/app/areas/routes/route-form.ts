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
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslatePipe } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import { errorMessage } from '../../core/error-message';
import { requiredText, splitList } from '../channels/channel-form';
import {
  ROUTE_STRATEGIES,
  UPSERT_ROUTE,
  type Route,
  type RouteInput,
  type RouteRetry,
  type RouteStrategy,
  type RouteTarget,
  type RouteTargetInput,
} from './routes.graphql';

function noSpaces(control: AbstractControl<string>): ValidationErrors | null {
  return /\s/.test((control.value ?? '').trim()) ? { noSpaces: true } : null;
}

function positive(control: AbstractControl<number | null>): ValidationErrors | null {
  const value = control.value;
  return value === null || value === undefined || (typeof value === 'number' && value > 0) ? null : { positive: true };
}

function integer(control: AbstractControl<number | null>): ValidationErrors | null {
  const value = control.value;
  return value === null || value === undefined || Number.isInteger(value) ? null : { integer: true };
}

/** Empty (the default) or a whole number from `min` to `max`. */
function wholeBetween(min: number, max: number, error: string) {
  return (control: AbstractControl<number | null>): ValidationErrors | null => {
    const value = control.value;
    if (value === null || value === undefined) return null;
    return Number.isInteger(value) && value >= min && value <= max ? null : { [error]: true };
  };
}

/** The failures worth another try (the API's RetryReason); all of them by default. */
export const RETRY_REASONS = ['CONNECT', 'TIMEOUT', 'STATUS_429', 'STATUS_5XX'] as const;

function retryGroup(retry: RouteRetry | null) {
  const on = retry?.retryOn ?? RETRY_REASONS;
  const ms = (value: number | null | undefined) =>
    new FormControl<number | null>(value ?? null, {
      validators: [wholeBetween(0, Number.MAX_SAFE_INTEGER, 'notNegativeMs')],
    });
  const reasons = Object.fromEntries(
    RETRY_REASONS.map((r) => [r, new FormControl(on.includes(r), { nonNullable: true })]),
  ) as { [R in (typeof RETRY_REASONS)[number]]: FormControl<boolean> };
  return new FormGroup(
    {
      attempts: new FormControl<number | null>(retry?.attempts ?? null, {
        validators: [wholeBetween(1, 10, 'attempts')],
      }),
      backoffMs: ms(retry?.backoffMs),
      maxBackoffMs: ms(retry?.maxBackoffMs),
      maxRetryAfterMs: ms(retry?.maxRetryAfterMs),
      retryOn: new FormGroup(reasons),
    },
    { validators: [aReasonToRetry] },
  );
}

/** Ticking no failure retries nothing: what a single try says anyway, else a slip. */
function aReasonToRetry(control: AbstractControl): ValidationErrors | null {
  const { attempts, retryOn } = control.value as { attempts: number | null; retryOn: Record<string, boolean> };
  return attempts === 1 || Object.values(retryOn).some(Boolean) ? null : { retryOn: true };
}

function atLeastOneTarget(control: AbstractControl<unknown[]>): ValidationErrors | null {
  return control.value.length ? null : { targets: true };
}

function targetGroup(target: RouteTarget | null, channel = '') {
  return new FormGroup({
    channel: new FormControl(target?.channelName ?? channel, { nonNullable: true, validators: [Validators.required] }),
    model: new FormControl(target?.model ?? '', { nonNullable: true, validators: [noSpaces] }),
    weight: new FormControl<number | null>(target?.weight ?? 1, { validators: [Validators.required, positive] }),
    priority: new FormControl<number | null>(target?.priority ?? 0, { validators: [Validators.required, integer] }),
    rpm: new FormControl<number | null>(target?.rpm ?? null, { validators: [positive, integer] }),
    tpm: new FormControl<number | null>(target?.tpm ?? null, { validators: [positive, integer] }),
  });
}
type TargetGroup = ReturnType<typeof targetGroup>;

export interface RouteFormData {
  /** The route to change; null to create one. */
  readonly route: Route | null;
  /** Names of the channels a target may name. */
  readonly channels: readonly string[];
  /** Those of type Dify: a target of one picks the app type (the upstream model carries it, docs/dify.md). */
  readonly difyChannels?: readonly string[];
}

/** The upstream model that makes a Dify target call a Text Generator app (`/completion-messages`). */
export const DIFY_COMPLETION = 'completion';

/**
 * Creates a route or replaces one whole (the API's upsertRoute): strategy, aliases, fallbacks and
 * the targets (channel, upstream model, weight, priority, caps) and the retry policy (empty fields:
 * the gateway's defaults).
 * Fields are checked where they are typed; nothing is sent while one is wrong, and a refusal is
 * shown as text while the dialog stays open.
 */
@Component({
  selector: 'app-route-form',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSlideToggleModule,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './route-form.html',
  styleUrls: ['../../ui/area-page.css', './routes.css'],
})
export class RouteForm {
  private readonly apollo = inject(Apollo);
  private readonly dialogRef = inject<MatDialogRef<RouteForm, Route>>(MatDialogRef);
  private readonly data = inject<RouteFormData>(MAT_DIALOG_DATA);
  protected readonly route = this.data.route;
  protected readonly channels = this.data.channels;
  protected readonly difyCompletion = DIFY_COMPLETION;

  protected isDify(channel: string): boolean {
    return this.data.difyChannels?.includes(channel) ?? false;
  }

  protected readonly strategies = ROUTE_STRATEGIES;
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected readonly form = new FormGroup({
    name: new FormControl(
      { value: this.route?.name ?? '', disabled: this.route !== null },
      { nonNullable: true, validators: [requiredText, noSpaces] },
    ),
    strategy: new FormControl<RouteStrategy>(this.route?.strategy ?? 'ROUND_ROBIN', { nonNullable: true }),
    aliases: new FormControl(this.route?.aliases.join(', ') ?? '', { nonNullable: true }),
    fallbacks: new FormControl(this.route?.fallbacks.join(', ') ?? '', { nonNullable: true }),
    captureBodies: new FormControl(this.route?.captureBodies ?? false, { nonNullable: true }),
    retry: retryGroup(this.route?.retry ?? null),
    targets: new FormArray<TargetGroup>(
      this.route ? this.route.targets.map((t) => targetGroup(t)) : [targetGroup(null, this.channels[0] ?? '')],
      { validators: [atLeastOneTarget as never] },
    ),
  });

  protected get targets(): FormArray<TargetGroup> {
    return this.form.controls.targets;
  }

  protected addTarget(): void {
    this.targets.push(targetGroup(null, this.channels[0] ?? ''));
  }

  protected removeTarget(index: number): void {
    this.targets.removeAt(index);
    this.targets.markAsTouched();
  }

  protected readonly retryReasons = RETRY_REASONS;
  protected readonly retryMsFields = ['backoffMs', 'maxBackoffMs', 'maxRetryAfterMs'] as const;

  protected get retry() {
    return this.form.controls.retry;
  }

  protected fieldError(control: AbstractControl): string | null {
    if (control.hasError('required')) return 'routes.errors.required';
    if (control.hasError('attempts')) return 'routes.errors.attempts';
    if (control.hasError('notNegativeMs')) return 'routes.errors.notNegativeMs';
    if (control.hasError('noSpaces')) return 'routes.errors.noSpaces';
    if (control.hasError('positive') && control.hasError('integer')) return 'routes.errors.positiveInteger';
    if (control.hasError('positive')) return 'routes.errors.positive';
    if (control.hasError('integer')) return 'routes.errors.integer';
    return null;
  }

  protected submit(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.saving()) return;
    this.saving.set(true);
    this.error.set(null);
    this.apollo.mutate({ mutation: UPSERT_ROUTE, variables: { input: this.input() } }).subscribe({
      next: (result) => {
        this.saving.set(false);
        if (result.data) this.dialogRef.close(result.data.upsertRoute);
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.error.set(errorMessage(error));
      },
    });
  }

  private input(): RouteInput {
    const value = this.form.getRawValue();
    return {
      name: value.name.trim(),
      strategy: value.strategy,
      aliases: splitList(value.aliases),
      fallbacks: splitList(value.fallbacks),
      captureBodies: value.captureBodies,
      retry: this.retryInput(),
      targets: value.targets.map((t) => {
        const target: RouteTargetInput = { channel: t.channel, weight: t.weight ?? 1, priority: t.priority ?? 0 };
        if (t.model.trim()) target.model = t.model.trim();
        if (t.rpm !== null) target.rpm = t.rpm;
        if (t.tpm !== null) target.tpm = t.tpm;
        return target;
      }),
    };
  }

  /** The policy as given: an empty field is the default (null), every failure ticked is the default too. */
  private retryInput(): RouteRetry | null {
    const { attempts, backoffMs, maxBackoffMs, maxRetryAfterMs, retryOn } = this.form.getRawValue().retry;
    const ticked = RETRY_REASONS.filter((reason) => retryOn[reason]);
    const retry: RouteRetry = {
      attempts,
      backoffMs,
      maxBackoffMs,
      maxRetryAfterMs,
      retryOn: ticked.length === RETRY_REASONS.length ? null : ticked,
    };
    return Object.values(retry).every((v) => v === null) ? null : retry;
  }
}
