import { ChangeDetectionStrategy, Component, OnInit, computed, inject, input, output } from '@angular/core';
import {
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  Validators,
  type AbstractControl,
  type ValidationErrors,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslatePipe } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import { saveState } from '../../ui/save-state';
import { cidrListValidator, splitList } from './cidr';
import {
  CREATE_GATEWAY_KEY,
  UPDATE_GATEWAY_KEY,
  type CreateGatewayKeyInput,
  type GatewayKey,
  type GatewayKeySecret,
  type OwnerOption,
  type UpdateGatewayKeyInput,
} from './keys.graphql';
import { LimitsFields } from './limits-fields';
import { limitsFormGroup, limitsInput } from './limits-form';
import { ENDPOINTS, type Endpoint } from '@synapse/endpoints';

/** Form control names cannot hold dots. */
function controlName(endpoint: Endpoint): string {
  return endpoint.replace(/\./g, '_');
}

/** 1-64 letters, digits, dots, dashes or underscores, as the gateway checks key and team names. */
export const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

function inTheFuture(control: AbstractControl<string>): ValidationErrors | null {
  if (!control.value || !control.dirty) return null;
  const at = new Date(control.value).getTime();
  if (Number.isNaN(at)) return { date: true };
  return at > Date.now() ? null : { past: true };
}

/** `2027-01-31T09:30` for a datetime-local field, in the browser's time zone. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const at = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

export interface KeySaved {
  readonly key: GatewayKey;
  /** Only on creation: the secret to show once. */
  readonly secret?: string;
}

/**
 * Creates a gateway key or changes one: name, owner, models, endpoints, IP allow-list, expiry,
 * limits and budgets. Every field is checked where it is typed; nothing is sent while one is
 * wrong, and an edit sends only the fields that changed (what a member may not change, such as
 * their key's limits, is then not sent either).
 */
@Component({
  selector: 'app-key-form',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSlideToggleModule,
    TranslatePipe,
    LimitsFields,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './key-form.html',
  styleUrls: ['../../ui/area-page.css', './keys.css'],
})
export class KeyForm implements OnInit {
  private readonly apollo = inject(Apollo);

  /** The key to change; null to create one. */
  readonly key = input<GatewayKey | null>(null);
  /** Users and teams the key may be given to; empty: no owner field (a member owns what they create). */
  readonly users = input<readonly OwnerOption[]>([]);
  readonly teams = input<readonly OwnerOption[]>([]);
  readonly chooseOwner = input(false);
  readonly saved = output<KeySaved>();
  readonly cancelled = output<void>();

  protected readonly endpoints = ENDPOINTS.map((endpoint) => ({ endpoint, control: controlName(endpoint) }));
  private readonly save = saveState();
  protected readonly saving = this.save.saving;
  protected readonly error = this.save.error;
  protected readonly editing = computed(() => this.key() !== null);

  protected readonly form = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(NAME_PATTERN)],
    }),
    owner: new FormControl('', { nonNullable: true }),
    models: new FormControl('*', { nonNullable: true, validators: [Validators.required] }),
    endpoints: new FormGroup(
      Object.fromEntries(
        ENDPOINTS.map((e) => [controlName(e), new FormControl(false, { nonNullable: true })]),
      ) as Record<string, FormControl<boolean>>,
    ),
    ipAllow: new FormControl('', { nonNullable: true, validators: [cidrListValidator] }),
    expiresAt: new FormControl('', { nonNullable: true, validators: [inTheFuture] }),
    enabled: new FormControl(true, { nonNullable: true }),
    captureBodies: new FormControl(false, { nonNullable: true }),
    limits: limitsFormGroup(null),
  });

  ngOnInit(): void {
    const key = this.key();
    if (!key) return;
    this.form.reset({
      name: key.name,
      owner: key.teamId ? `team:${key.teamId}` : key.userId ? `user:${key.userId}` : '',
      models: key.models.join(', '),
      endpoints: Object.fromEntries(ENDPOINTS.map((e) => [controlName(e), key.endpoints?.includes(e) ?? false])),
      ipAllow: (key.ipAllow ?? []).join('\n'),
      expiresAt: toLocalInput(key.expiresAt),
      enabled: key.enabled,
      captureBodies: key.captureBodies,
    });
    this.form.setControl('limits', limitsFormGroup(key.limits));
  }

  protected fieldError(name: 'name' | 'models' | 'ipAllow' | 'expiresAt'): string | null {
    const control = this.form.controls[name];
    if (control.hasError('required')) return 'keys.errors.required';
    if (control.hasError('pattern')) return 'keys.errors.name';
    if (control.hasError('cidr')) return 'keys.errors.cidr';
    if (control.hasError('past')) return 'keys.errors.past';
    if (control.hasError('date')) return 'keys.errors.date';
    return null;
  }

  protected badCidr(): string {
    return (this.form.controls.ipAllow.getError('cidr') as { entry: string } | null)?.entry ?? '';
  }

  protected submit(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.saving()) return;
    const key = this.key();
    if (key) {
      this.save.send(
        this.apollo.mutate({ mutation: UPDATE_GATEWAY_KEY, variables: { id: key.id, input: this.changes() } }),
        (result) => {
          if (result.data) this.saved.emit({ key: result.data.updateGatewayKey });
        },
      );
    } else {
      this.save.send(
        this.apollo.mutate({ mutation: CREATE_GATEWAY_KEY, variables: { input: this.creation() } }),
        (result) => {
          const created = result.data?.createGatewayKey as GatewayKeySecret | undefined;
          if (created) this.saved.emit({ key: created.key, secret: created.secret });
        },
      );
    }
  }

  private creation(): CreateGatewayKeyInput {
    const value = this.form.getRawValue();
    return {
      name: value.name.trim(),
      ...(this.chooseOwner() && this.owner()),
      models: splitList(value.models),
      endpoints: this.endpointsValue(),
      ipAllow: splitList(value.ipAllow).length ? splitList(value.ipAllow) : null,
      expiresAt: value.expiresAt ? new Date(value.expiresAt).toISOString() : null,
      enabled: value.enabled,
      captureBodies: value.captureBodies,
      limits: limitsInput(this.form.controls.limits),
    };
  }

  /** Only what changed: fields left out stay as they are. */
  private changes(): UpdateGatewayKeyInput {
    const all = this.creation();
    const controls = this.form.controls;
    const input: UpdateGatewayKeyInput = {};
    if (controls.name.dirty) input.name = all.name;
    if (controls.owner.dirty && this.chooseOwner()) Object.assign(input, this.owner());
    if (controls.models.dirty) input.models = all.models;
    if (controls.endpoints.dirty) input.endpoints = all.endpoints;
    if (controls.ipAllow.dirty) input.ipAllow = all.ipAllow;
    if (controls.expiresAt.dirty) input.expiresAt = all.expiresAt;
    if (controls.enabled.dirty) input.enabled = all.enabled;
    if (controls.captureBodies.dirty) input.captureBodies = all.captureBodies;
    if (controls.limits.dirty) input.limits = all.limits;
    return input;
  }

  private owner(): { userId: string | null; teamId: string | null } {
    const [kind, id] = this.form.controls.owner.value.split(':');
    return { userId: kind === 'user' ? id : null, teamId: kind === 'team' ? id : null };
  }

  private endpointsValue(): string[] | null {
    const chosen = ENDPOINTS.filter((e) => this.form.controls.endpoints.controls[controlName(e)]?.value);
    return chosen.length ? chosen : null;
  }
}
