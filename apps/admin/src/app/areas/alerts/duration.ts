import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds of `300`, `30s`, `5m`, `1h` or `1d` (as the config file writes durations); null if not one. */
export function parseDuration(text: string): number | null {
  const match = /^\s*(\d+)\s*([smhd]?)\s*$/i.exec(text);
  if (!match) return null;
  const seconds = Number(match[1]) * (UNITS[(match[2] || 's').toLowerCase()] ?? 1);
  return Number.isSafeInteger(seconds) ? seconds : null;
}

/** The shortest way to write `seconds`: 300 → `5m`, 90 → `90s`, 0 → `0`. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0';
  for (const unit of ['d', 'h', 'm'] as const) {
    if (seconds % UNITS[unit] === 0) return `${seconds / UNITS[unit]}${unit}`;
  }
  return `${seconds}s`;
}

/** A duration between `min` and `max` seconds; errors `duration` or `range` ({ min, max } as text). */
export function durationValidator(min: number, max: number): ValidatorFn {
  return (control: AbstractControl<string>): ValidationErrors | null => {
    const text = control.value ?? '';
    if (text.trim() === '') return null;
    const seconds = parseDuration(text);
    if (seconds === null) return { duration: true };
    if (seconds < min || seconds > max) return { range: { min: formatDuration(min), max: formatDuration(max) } };
    return null;
  };
}
