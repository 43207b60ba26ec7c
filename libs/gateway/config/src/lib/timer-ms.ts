import { z } from 'zod';

/**
 * The longest delay Node's timers keep: 2^31 - 1 ms, about 24.8 days. Past it, setTimeout fires
 * after 1 ms (with a TimeoutOverflowWarning): a 35-day "never" timeout timed every call out at once.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** A whole number of milliseconds from `min` to MAX_TIMER_MS. */
export function timerMs(min: number) {
  return z
    .number()
    .int('must be a whole number')
    .min(min, min === 0 ? 'must not be negative' : min === 1 ? 'must be positive' : `must be at least ${min}`)
    .max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS} (about 24.8 days, the longest timer Node keeps)`);
}
