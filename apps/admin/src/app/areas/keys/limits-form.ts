import { FormControl, FormGroup, Validators, type AbstractControl, type ValidationErrors } from '@angular/forms';
import type { KeyLimits, KeyLimitsInput } from './keys.graphql';

/** The whole-number caps, then the budgets (positive USD). */
export const COUNT_LIMITS = ['rpm', 'tpm', 'concurrency', 'maxTokensPerCall', 'maxChoicesPerCall'] as const;
export const BUDGET_LIMITS = ['dailyBudgetUsd', 'monthlyBudgetUsd'] as const;
export type LimitName = (typeof COUNT_LIMITS)[number] | (typeof BUDGET_LIMITS)[number];

export type LimitsFormGroup = FormGroup<Record<LimitName, FormControl<number | null>>>;

function wholeNumber(control: AbstractControl<number | null>): ValidationErrors | null {
  const value = control.value;
  return value === null || Number.isInteger(value) ? null : { integer: true };
}

function positive(control: AbstractControl<number | null>): ValidationErrors | null {
  const value = control.value;
  return value === null || value > 0 ? null : { positive: true };
}

/** A form group of the caps keys, users and teams share; empty fields are not capped. */
export function limitsFormGroup(limits: KeyLimits | null | undefined): LimitsFormGroup {
  const controls = {} as Record<LimitName, FormControl<number | null>>;
  for (const name of COUNT_LIMITS) {
    controls[name] = new FormControl<number | null>(limits?.[name] ?? null, [wholeNumber, Validators.min(1)]);
  }
  for (const name of BUDGET_LIMITS) {
    controls[name] = new FormControl<number | null>(limits?.[name] ?? null, [positive]);
  }
  return new FormGroup(controls);
}

/** The limits to send: only the capped fields, or null when nothing is capped. */
export function limitsInput(group: LimitsFormGroup): KeyLimitsInput | null {
  const entries = Object.entries(group.getRawValue()).filter(
    ([, value]) => value !== null && value !== undefined && (value as unknown) !== '',
  );
  return entries.length ? (Object.fromEntries(entries) as KeyLimitsInput) : null;
}
