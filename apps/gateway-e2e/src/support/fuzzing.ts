import fc from 'fast-check';

/** What the fuzzing specs share: their settings, and what they ask of every answer (a success, or a well-formed error of the caller's protocol). */

/** Fixed so that a failure is reproducible; FUZZ_SEED explores others (the failing seed is printed). */
export const fuzzSeed = (fallback: number): number => Number(process.env['FUZZ_SEED'] ?? fallback);
/** A multiplier of every property's cases. */
export const FUZZ_RUNS = Number(process.env['FUZZ_RUNS'] ?? 1);
/** A call that takes longer than this has hung. */
export const HANG_MS = 10_000;
/** The gateway's own limits off: they would answer most cases with 429 and hide what is behind them. */
export const NO_LIMITS_ENV = {
  HEALTH_CHECK_INTERVAL_MS: '0',
  ADMIN_RATE_LIMIT_PER_MINUTE: '0',
  UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '0',
};

export interface Answer {
  status: number;
  text: string;
  contentType: string;
}

/** The gateway's own fault (Errors.internal), whatever status the caller's protocol gives it. */
export const GATEWAY_FAULT = /The gateway failed to handle the request/;

/**
 * `failuresAre500`: the protocol answers an upstream's failure with 500 (Anthropic's `api_error`),
 * so a 500 is wrong only when it is the gateway's own fault.
 */
export function expectWellFormed(
  answer: Answer,
  errorShape: (body: unknown) => boolean,
  { failuresAre500 = false } = {},
): void {
  if (failuresAre500) expect(answer.text).not.toMatch(GATEWAY_FAULT);
  else expect(answer.status).not.toBe(500);
  expect(answer.text).not.toMatch(/\n\s+at .+:\d+:\d+/);
  if (answer.status < 400) return;
  expect(answer.contentType).toMatch(/^application\/json/);
  const body: unknown = JSON.parse(answer.text);
  if (!errorShape(body)) throw new Error(`not an error of the format (${answer.status}): ${answer.text}`);
}

export function openAIError(body: unknown): boolean {
  const error = (body as { error?: { message?: unknown; type?: unknown } }).error;
  return typeof error?.message === 'string' && error.message.length > 0 && typeof error.type === 'string';
}

export function difyError(body: unknown, status: number): boolean {
  const error = body as { code?: unknown; message?: unknown; status?: unknown };
  return typeof error.code === 'string' && typeof error.message === 'string' && error.status === status;
}

export function anthropicError(body: unknown): boolean {
  const { type, error } = body as { type?: unknown; error?: { type?: unknown; message?: unknown } };
  return type === 'error' && typeof error?.type === 'string' && typeof error.message === 'string';
}

/**
 * Text of any UTF-16 code units, or made of those that broke things before, which random code
 * units all but never draw: NUL (PostgreSQL's text refuses it), line breaks, lone surrogates
 * (encodeURIComponent throws on them), non-ASCII.
 */
export function oddText(maxLength: number) {
  const odd = fc.constantFrom(
    '\u0000',
    '\r',
    '\n',
    '\t',
    '\u007f',
    '\ud800',
    '\udc00',
    '😀',
    '通',
    'é',
    '\u202e',
    'a',
    ' ',
  );
  return fc.oneof(fc.string({ unit: 'binary', maxLength }), fc.string({ unit: odd, maxLength }));
}
