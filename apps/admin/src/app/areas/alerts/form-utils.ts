import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';

/** 1-64 letters, digits, dots, dashes or underscores, as the gateway checks rule and channel names. */
export const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** The number typed in a text field, or null when it is empty or not a number. */
export function toNumber(text: string | null | undefined): number | null {
  if (text === null || text === undefined || String(text).trim() === '') return null;
  const value = Number(String(text).trim());
  return Number.isFinite(value) ? value : null;
}

/**
 * A number typed in a text field: `number` when it is not one, `integer` when a whole number is
 * needed, else `error` when `accept` refuses it. Empty passes (use Validators.required for that).
 */
export function numberValidator(accept: (n: number) => boolean, error: string, integer = false): ValidatorFn {
  return (control: AbstractControl<string>): ValidationErrors | null => {
    const text = String(control.value ?? '').trim();
    if (text === '') return null;
    const value = toNumber(text);
    if (value === null) return { number: true };
    if (integer && !Number.isInteger(value)) return { integer: true };
    return accept(value) ? null : { [error]: true };
  };
}

/** An http(s) URL with a host. Empty passes. */
export function httpUrlValidator(control: AbstractControl<string>): ValidationErrors | null {
  const text = String(control.value ?? '').trim();
  if (text === '') return null;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname ? null : { url: true };
  } catch {
    return { url: true };
  }
}

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

export function isEmail(text: string): boolean {
  return EMAIL.test(text);
}

/** Splits `a@x.org, b@y.org` (commas, semicolons, spaces or new lines) into its entries. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** A list of email addresses; `emails` names the first wrong entry. Empty passes. */
export function emailListValidator(control: AbstractControl<string>): ValidationErrors | null {
  const wrong = splitList(String(control.value ?? '')).find((entry) => !isEmail(entry));
  return wrong ? { emails: { entry: wrong } } : null;
}

/** The first error of a control as a translation key of `alerts.errors` and its parameters. */
export function firstError(control: AbstractControl): { key: string; params: Record<string, unknown> } | null {
  const errors = control.errors;
  if (!errors) return null;
  const order = [
    'required',
    'pattern',
    'number',
    'integer',
    'duration',
    'range',
    'url',
    'email',
    'emails',
    'positive',
    'percent',
    'percentile',
    'atLeastOne',
    'port',
  ];
  const name = order.find((e) => e in errors) ?? Object.keys(errors)[0];
  const value = errors[name] as unknown;
  const key = name === 'pattern' ? 'name' : name;
  return {
    key: `alerts.errors.${key}`,
    params: value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {},
  };
}
