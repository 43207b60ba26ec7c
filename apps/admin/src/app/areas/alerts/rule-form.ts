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
  CREATE_ALERT_RULE,
  SCOPE_CHANNELS,
  SCOPE_KEYS,
  SCOPE_ROUTES,
  SCOPE_TEAMS,
  UPDATE_ALERT_RULE,
  type AlertKind,
  type AlertRule,
  type AlertScopeKind,
  type BudgetPeriod,
  type CreateAlertRuleInput,
  type NotificationChannel,
  type TargetOption,
} from './alerts.graphql';
import { durationValidator, formatDuration, parseDuration } from './duration';
import { NAME_PATTERN, firstError, numberValidator, toNumber } from './form-utils';

export const ALERT_KINDS: readonly AlertKind[] = [
  'ERROR_RATE',
  'LATENCY',
  'TTFT',
  'CHANNEL_HEALTH',
  'BUDGET',
  'SPEND_CHANGE',
  'NO_TRAFFIC',
];

const ALL_SCOPES: readonly AlertScopeKind[] = ['ALL', 'MODEL', 'CHANNEL', 'ROUTE', 'KEY', 'TEAM'];

/** The scopes each kind accepts (docs/alerts.md, rule kinds). */
export const SCOPES_OF: Record<AlertKind, readonly AlertScopeKind[]> = {
  ERROR_RATE: ALL_SCOPES,
  LATENCY: ALL_SCOPES,
  TTFT: ALL_SCOPES,
  CHANNEL_HEALTH: ['ALL', 'CHANNEL', 'MODEL', 'ROUTE'],
  BUDGET: ['ALL', 'KEY', 'TEAM'],
  SPEND_CHANGE: ALL_SCOPES,
  NO_TRAFFIC: ALL_SCOPES,
};

/** The threshold a new rule of each kind starts with; absent: the kind has none. */
export const DEFAULT_THRESHOLD: Partial<Record<AlertKind, number>> = {
  ERROR_RATE: 5,
  LATENCY: 3000,
  TTFT: 1500,
  BUDGET: 80,
  SPEND_CHANGE: 100,
};

const PERCENTILED: readonly AlertKind[] = ['LATENCY', 'TTFT'];
const COUNTED: readonly AlertKind[] = ['ERROR_RATE', 'LATENCY', 'TTFT'];

export function hasThreshold(kind: AlertKind): boolean {
  return kind in DEFAULT_THRESHOLD;
}

/** The label of the threshold field, by kind. */
function thresholdLabel(kind: AlertKind): string {
  switch (kind) {
    case 'LATENCY':
    case 'TTFT':
      return 'alerts.form.thresholdMs';
    case 'BUDGET':
      return 'alerts.form.thresholdBudget';
    case 'SPEND_CHANGE':
      return 'alerts.form.thresholdIncrease';
    default:
      return 'alerts.form.thresholdPercent';
  }
}

const percentOfCalls = numberValidator((n) => n > 0 && n <= 100, 'percent');
const positive = numberValidator((n) => n > 0, 'positive');

type FieldName =
  | 'name'
  | 'threshold'
  | 'percentile'
  | 'window'
  | 'minRequests'
  | 'scopeValue'
  | 'forDuration'
  | 'repeatInterval';

/**
 * Creates an alert rule or changes one. The fields follow the kind (a threshold in % or ms, a
 * percentile, a budget period, the minimum calls), the scope's target is picked from the matching
 * list (typed for a model), durations are written as the config file writes them (5m, 1h).
 * Each field is checked where it is typed; nothing is sent while one is wrong.
 */
@Component({
  selector: 'app-alert-rule-form',
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
  templateUrl: './rule-form.html',
  styleUrls: ['../../ui/area-page.css', './alerts.css'],
})
export class RuleForm implements OnInit {
  private readonly apollo = inject(Apollo);
  private readonly destroyRef = inject(DestroyRef);

  /** The rule to change; null to create one. */
  readonly rule = input<AlertRule | null>(null);
  /** The notification channels to choose from. */
  readonly channels = input<readonly NotificationChannel[]>([]);
  readonly saved = output<AlertRule>();
  readonly cancelled = output<void>();

  protected readonly kinds = ALERT_KINDS;
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly editing = computed(() => this.rule() !== null);

  protected readonly form = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(NAME_PATTERN)],
    }),
    description: new FormControl('', { nonNullable: true }),
    kind: new FormControl<AlertKind>('ERROR_RATE', { nonNullable: true }),
    threshold: new FormControl('5', { nonNullable: true, validators: [Validators.required, percentOfCalls] }),
    percentile: new FormControl('95', {
      nonNullable: true,
      validators: [Validators.required, numberValidator((n) => n >= 1 && n <= 100, 'percentile')],
    }),
    budgetPeriod: new FormControl<BudgetPeriod>('DAY', { nonNullable: true }),
    window: new FormControl('5m', {
      nonNullable: true,
      validators: [Validators.required, durationValidator(10, 31 * 86400)],
    }),
    minRequests: new FormControl('1', {
      nonNullable: true,
      validators: [Validators.required, numberValidator((n) => n >= 0, 'integer', true)],
    }),
    scopeKind: new FormControl<AlertScopeKind>('ALL', { nonNullable: true }),
    scopeValue: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    forDuration: new FormControl('0', {
      nonNullable: true,
      validators: [Validators.required, durationValidator(0, Number.MAX_SAFE_INTEGER)],
    }),
    repeatInterval: new FormControl('4h', {
      nonNullable: true,
      validators: [Validators.required, durationValidator(0, Number.MAX_SAFE_INTEGER)],
    }),
    notificationChannelIds: new FormControl<string[]>([], { nonNullable: true }),
    enabled: new FormControl(true, { nonNullable: true }),
  });

  protected readonly kind = signal<AlertKind>('ERROR_RATE');
  protected readonly scopeKind = signal<AlertScopeKind>('ALL');
  protected readonly scopes = computed(() => SCOPES_OF[this.kind()]);
  protected readonly thresholdLabel = computed(() => thresholdLabel(this.kind()));
  protected readonly showThreshold = computed(() => hasThreshold(this.kind()));
  protected readonly showPercentile = computed(() => PERCENTILED.includes(this.kind()));
  protected readonly showBudgetPeriod = computed(() => this.kind() === 'BUDGET');
  protected readonly showMinRequests = computed(() => COUNTED.includes(this.kind()));
  protected readonly showWindow = computed(() => this.kind() !== 'CHANNEL_HEALTH' && this.kind() !== 'BUDGET');

  /** The list the scope's target is picked from (none for ALL and MODEL). */
  protected readonly targets = signal<{ loading: boolean; error: string | null; options: TargetOption[] }>({
    loading: false,
    error: null,
    options: [],
  });
  private readonly targetCache = new Map<AlertScopeKind, TargetOption[]>();

  constructor() {
    this.form.controls.kind.valueChanges.pipe(takeUntilDestroyed()).subscribe((kind) => {
      // A threshold typed by hand stays; otherwise the new kind's default replaces the old one's.
      const threshold = this.form.controls.threshold;
      if (!threshold.dirty || threshold.value.trim() === '') {
        const value = DEFAULT_THRESHOLD[kind];
        threshold.setValue(value === undefined ? '' : String(value));
        threshold.markAsPristine();
      }
      this.applyKind(kind);
    });
    this.form.controls.scopeKind.valueChanges.pipe(takeUntilDestroyed()).subscribe((scope) => {
      this.form.controls.scopeValue.setValue('');
      this.applyScope(scope);
    });
  }

  ngOnInit(): void {
    const rule = this.rule();
    if (rule) {
      this.form.reset(
        {
          name: rule.name,
          description: rule.description ?? '',
          kind: rule.kind,
          threshold: rule.threshold === null ? '' : String(rule.threshold),
          percentile: String(rule.percentile ?? 95),
          budgetPeriod: rule.budgetPeriod ?? 'DAY',
          window: formatDuration(rule.windowSeconds),
          minRequests: String(rule.minRequests),
          scopeKind: rule.scope.kind,
          scopeValue: rule.scope.value ?? '',
          forDuration: formatDuration(rule.forSeconds),
          repeatInterval: formatDuration(rule.repeatIntervalSeconds),
          notificationChannelIds: [...rule.notificationChannelIds],
          enabled: rule.enabled,
        },
        { emitEvent: false },
      );
    }
    this.applyKind(this.form.controls.kind.value, false);
    this.applyScope(this.form.controls.scopeKind.value);
  }

  protected fieldError(name: FieldName) {
    const control: AbstractControl = this.form.controls[name];
    return control.invalid ? firstError(control) : null;
  }

  /** The stored target when the list does not hold it (a deleted channel, say), so it stays shown. */
  protected readonly unknownTarget = computed(() => {
    const t = this.targets();
    const current = this.rule()?.scope;
    if (t.loading || !current?.value || current.kind !== this.scopeKind()) return null;
    return t.options.some((o) => o.id === current.value) ? null : current.value;
  });

  protected channelChosen(id: string): boolean {
    return this.form.controls.notificationChannelIds.value.includes(id);
  }

  protected toggleChannel(id: string, chosen: boolean): void {
    const control = this.form.controls.notificationChannelIds;
    const others = control.value.filter((c) => c !== id);
    control.setValue(chosen ? [...others, id] : others);
    control.markAsDirty();
  }

  protected submit(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.saving()) return;
    const rule = this.rule();
    this.saving.set(true);
    this.error.set(null);
    const input = this.input();
    const request: Observable<AlertRule | undefined> = rule
      ? this.apollo
          .mutate({ mutation: UPDATE_ALERT_RULE, variables: { id: rule.id, input: this.update(input) } })
          .pipe(map((r) => r.data?.updateAlertRule))
      : this.apollo
          .mutate({ mutation: CREATE_ALERT_RULE, variables: { input } })
          .pipe(map((r) => r.data?.createAlertRule));
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

  /** The rule as the API takes it: only the fields the kind has. */
  private input(): CreateAlertRuleInput {
    const value = this.form.getRawValue();
    const kind = value.kind;
    const description = value.description.trim();
    const input: CreateAlertRuleInput = {
      name: value.name.trim(),
      kind,
      windowSeconds: parseDuration(value.window) ?? 300,
      forSeconds: parseDuration(value.forDuration) ?? 0,
      minRequests: toNumber(value.minRequests) ?? 1,
      repeatIntervalSeconds: parseDuration(value.repeatInterval) ?? 0,
      scope: value.scopeKind === 'ALL' ? { kind: 'ALL' } : { kind: value.scopeKind, value: value.scopeValue.trim() },
      notificationChannelIds: value.notificationChannelIds.filter((id) => this.channels().some((c) => c.id === id)),
      enabled: value.enabled,
    };
    if (description) input.description = description;
    if (hasThreshold(kind)) input.threshold = toNumber(value.threshold);
    if (PERCENTILED.includes(kind)) input.percentile = toNumber(value.percentile);
    if (kind === 'BUDGET') input.budgetPeriod = value.budgetPeriod;
    return input;
  }

  /** A change sends the whole rule; what the kind does not have is cleared (null). */
  private update(input: CreateAlertRuleInput) {
    return {
      ...input,
      description: input.description ?? '',
      threshold: input.threshold ?? null,
      percentile: input.percentile ?? null,
      budgetPeriod: input.budgetPeriod ?? null,
    };
  }

  /** Turns the kind's fields on and the others off (disabled fields are neither checked nor sent). */
  private applyKind(kind: AlertKind, resetScope = true): void {
    const c = this.form.controls;
    this.kind.set(kind);
    const toggle = (control: AbstractControl, on: boolean) => (on ? control.enable() : control.disable());
    c.threshold.setValidators([Validators.required, kind === 'ERROR_RATE' ? percentOfCalls : positive]);
    c.threshold.updateValueAndValidity();
    toggle(c.threshold, hasThreshold(kind));
    toggle(c.percentile, PERCENTILED.includes(kind));
    toggle(c.budgetPeriod, kind === 'BUDGET');
    toggle(c.minRequests, COUNTED.includes(kind));
    if (resetScope && !SCOPES_OF[kind].includes(c.scopeKind.value)) c.scopeKind.setValue('ALL');
  }

  private applyScope(scope: AlertScopeKind): void {
    this.scopeKind.set(scope);
    const value = this.form.controls.scopeValue;
    if (scope === 'ALL') value.disable();
    else value.enable();
    this.loadTargets(scope);
  }

  private loadTargets(scope: AlertScopeKind): void {
    const cached = this.targetCache.get(scope);
    if (scope === 'ALL' || scope === 'MODEL') {
      this.targets.set({ loading: false, error: null, options: [] });
      return;
    }
    if (cached) {
      this.targets.set({ loading: false, error: null, options: cached });
      return;
    }
    this.targets.set({ loading: true, error: null, options: [] });
    this.targetQuery(scope)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (options) => {
          this.targetCache.set(scope, options);
          if (this.form.controls.scopeKind.value === scope) this.targets.set({ loading: false, error: null, options });
        },
        error: (error: unknown) => {
          if (this.form.controls.scopeKind.value === scope)
            this.targets.set({ loading: false, error: errorMessage(error), options: [] });
        },
      });
  }

  private targetQuery(scope: AlertScopeKind): Observable<TargetOption[]> {
    const byName = (a: TargetOption, b: TargetOption) => a.label.localeCompare(b.label);
    switch (scope) {
      case 'CHANNEL':
        return this.apollo
          .query({ query: SCOPE_CHANNELS, fetchPolicy: 'network-only' })
          .pipe(map((r) => (r.data?.channels ?? []).map((c) => ({ id: c.id, label: c.name })).sort(byName)));
      case 'ROUTE':
        return this.apollo
          .query({ query: SCOPE_ROUTES, fetchPolicy: 'network-only' })
          .pipe(map((r) => (r.data?.routes ?? []).map((c) => ({ id: c.name, label: c.name })).sort(byName)));
      case 'KEY':
        return this.apollo
          .query({ query: SCOPE_KEYS, fetchPolicy: 'network-only' })
          .pipe(map((r) => (r.data?.gatewayKeys ?? []).map((c) => ({ id: c.id, label: c.name })).sort(byName)));
      default:
        return this.apollo
          .query({ query: SCOPE_TEAMS, fetchPolicy: 'network-only' })
          .pipe(map((r) => (r.data?.teams ?? []).map((c) => ({ id: c.id, label: c.name })).sort(byName)));
    }
  }
}
