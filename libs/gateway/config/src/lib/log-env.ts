import { z } from 'zod';

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
const days = (fallback: number) =>
  z.coerce.number().int().min(0, 'must be 0 (keep forever) or more days').default(fallback);

/** `/source/flags` or a bare source; compiled once at boot so that a bad pattern stops the start. */
function compilePattern(pattern: string): RegExp {
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
  return literal
    ? new RegExp(literal[1], literal[2].includes('g') ? literal[2] : `${literal[2]}g`)
    : new RegExp(pattern, 'g');
}

/** A JSON array of patterns, or one pattern. */
const patternList = z
  .string()
  .default('')
  .transform((value, context) => {
    const text = value.trim();
    if (!text) return [];
    let sources: unknown = [text];
    if (text.startsWith('[')) {
      try {
        sources = JSON.parse(text);
      } catch {
        context.addIssue({ code: 'custom', message: 'must be a JSON array of regular expressions, or one expression' });
        return [];
      }
    }
    if (!Array.isArray(sources) || !sources.every((s) => typeof s === 'string' && s.length > 0)) {
      context.addIssue({ code: 'custom', message: 'must be a JSON array of regular expressions, or one expression' });
      return [];
    }
    const compiled: RegExp[] = [];
    for (const source of sources as string[]) {
      try {
        compiled.push(compilePattern(source));
      } catch (error) {
        context.addIssue({
          code: 'custom',
          message: `'${source}' is not a regular expression: ${(error as Error).message}`,
        });
      }
    }
    return compiled;
  });

/** Body capture and retention (docs/logs.md). */
export const logEnvFields = {
  // Bytes kept of each captured request and response body; the rest is cut with a marker.
  BODY_CAPTURE_MAX_BYTES: int(32 * 1024, 256),
  // More patterns redacted from captured bodies, on top of the built-in ones (keys, tokens, emails).
  BODY_CAPTURE_REDACT: patternList,
  // Days each kind of history is kept; 0: forever. What existed before retention is kept unless asked.
  RETENTION_REQUEST_LOG_DAYS: days(0),
  RETENTION_BODIES_DAYS: days(7),
  RETENTION_AUDIT_DAYS: days(0),
  RETENTION_ROLLUP_MINUTE_DAYS: days(7),
  RETENTION_ROLLUP_HOUR_DAYS: days(90),
  RETENTION_ROLLUP_DAY_DAYS: days(0),
  // How often the purge runs, how many rows one statement deletes, and the pause between statements.
  RETENTION_INTERVAL_MINUTES: int(60, 1),
  RETENTION_BATCH_SIZE: int(5_000, 1),
  RETENTION_PAUSE_MS: int(100, 0),
};

/** What retention keeps, in days per kind (the `kind` of each RetentionTarget); 0 keeps forever. */
export function retentionDays(env: { [K in keyof typeof logEnvFields]: z.infer<(typeof logEnvFields)[K]> }) {
  return {
    'request-log': env.RETENTION_REQUEST_LOG_DAYS,
    bodies: env.RETENTION_BODIES_DAYS,
    audit: env.RETENTION_AUDIT_DAYS,
    'rollup-minute': env.RETENTION_ROLLUP_MINUTE_DAYS,
    'rollup-hour': env.RETENTION_ROLLUP_HOUR_DAYS,
    'rollup-day': env.RETENTION_ROLLUP_DAY_DAYS,
  };
}
