const SECONDS = /^\d+(\.\d+)?$/;
// The three HTTP-date forms of RFC 9110 section 5.6.7. Date.parse alone accepts far too much ("foo 2020").
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC_850_DATE = /^[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/**
 * The longest wait taken from an upstream: a day, which a provider's daily quota fits. Past it (a
 * year, a date in 2099, a counter sent as seconds) one bad header would cool its target down for
 * good, and with Redis on every replica.
 */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * A Retry-After header value (delay in seconds, or an HTTP date) as milliseconds from `now`, at
 * most MAX_RETRY_AFTER_MS; undefined when absent or malformed. A date in the past gives 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (SECONDS.test(text)) return Math.min(Math.round(Number(text) * 1000), MAX_RETRY_AFTER_MS);
  let date = Number.NaN;
  if (IMF_FIXDATE.test(text) || RFC_850_DATE.test(text)) date = Date.parse(text);
  // asctime carries no zone but means GMT; without the suffix Date.parse would read local time.
  else if (ASCTIME_DATE.test(text)) date = Date.parse(`${text} GMT`);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
}
