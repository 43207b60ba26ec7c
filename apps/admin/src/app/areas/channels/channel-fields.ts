import { FormArray, FormControl, FormGroup, type AbstractControl, type ValidationErrors } from '@angular/forms';

/** An HTTP header name (RFC 9110 token), as the gateway checks it. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Headers the gateway (or its HTTP client) sets or manages itself; the API refuses them as extra headers. */
export const RESERVED_HEADERS: readonly string[] = [
  'accept',
  'connection',
  'content-length',
  'content-type',
  'expect',
  'host',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
];

/** A header name: a token, not one the gateway sets, and not given twice (case ignored). */
export function headerName(control: AbstractControl<string>): ValidationErrors | null {
  const name = (control.value ?? '').trim();
  if (!name) return { required: true };
  if (!HEADER_NAME.test(name)) return { headerName: true };
  if (RESERVED_HEADERS.includes(name.toLowerCase())) return { reservedHeader: true };
  const rows = control.parent?.parent;
  if (rows instanceof FormArray) {
    const lower = name.toLowerCase();
    const first = rows.controls.findIndex(
      (row) => ((row as HeaderGroup).controls.name.value ?? '').trim().toLowerCase() === lower,
    );
    if (first >= 0 && rows.controls[first] !== control.parent) return { duplicateHeader: true };
  }
  return null;
}

/** A header value is one line of what HTTP can send: tab, printable ASCII, Latin-1 (as the gateway checks). */
export function headerValue(control: AbstractControl<string>): ValidationErrors | null {
  return /^[\t\x20-\x7e\x80-\xff]*$/.test(control.value ?? '') ? null : { lineBreak: true };
}

/** Empty (the default) or a whole number of milliseconds above zero. */
export function positiveWholeMs(control: AbstractControl<number | null>): ValidationErrors | null {
  const value = control.value;
  if (value === null || value === undefined) return null;
  return Number.isInteger(value) && value > 0 ? null : { positiveMs: true };
}

export function headerGroup(name = '') {
  return new FormGroup({
    name: new FormControl(name, { nonNullable: true, validators: [headerName] }),
    value: new FormControl('', { nonNullable: true, validators: [headerValue] }),
  });
}
export type HeaderGroup = ReturnType<typeof headerGroup>;

/** The message key of a header or timeout field's first problem. */
export function headerOrTimeoutError(control: AbstractControl): string | null {
  if (control.hasError('required')) return 'channels.errors.required';
  if (control.hasError('headerName')) return 'channels.errors.headerName';
  if (control.hasError('reservedHeader')) return 'channels.errors.reservedHeader';
  if (control.hasError('duplicateHeader')) return 'channels.errors.duplicateHeader';
  if (control.hasError('lineBreak')) return 'channels.errors.lineBreak';
  if (control.hasError('valueAgain')) return 'channels.errors.valueAgain';
  if (control.hasError('positiveMs')) return 'channels.errors.positiveMs';
  return null;
}
