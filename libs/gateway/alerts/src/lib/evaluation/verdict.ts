/** What one evaluation of a rule found. */
export interface Verdict {
  /** Whether the rule's condition holds now. */
  breached: boolean;
  /** The measured value (percent, milliseconds, count); null when there was nothing to measure. */
  value: number | null;
  /** One line for people: what was measured against what. */
  summary: string;
}

/** `300` → `5m`, `90` → `90s`, `7200` → `2h`. */
export function formatSeconds(seconds: number): string {
  if (seconds >= 86_400 && seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds >= 3_600 && seconds % 3_600 === 0) return `${seconds / 3_600}h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** Two decimals at most, no trailing zeros. */
export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
