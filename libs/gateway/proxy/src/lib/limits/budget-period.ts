const DAY_MS = 86_400_000;

/** Budgets run per UTC day and per UTC calendar month; these name the current ones and say when they end. */
export interface BudgetPeriods {
  /** e.g. `2026-01-31` */
  day: string;
  /** e.g. `2026-01` */
  month: string;
  dayEndsAt: number;
  monthEndsAt: number;
}

export function budgetPeriods(now: number): BudgetPeriods {
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const dayStart = now - (now % DAY_MS);
  return {
    day: date.toISOString().slice(0, 10),
    month: date.toISOString().slice(0, 7),
    dayEndsAt: dayStart + DAY_MS,
    monthEndsAt: Date.UTC(year, month + 1, 1),
  };
}

export function dayStart(now: number): Date {
  return new Date(now - (now % DAY_MS));
}

export function monthStart(now: number): Date {
  const date = new Date(now);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

export function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.ceil((at - now) / 1000));
}
