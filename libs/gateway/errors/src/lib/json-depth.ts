/** Deepest nesting of arrays and objects a request body may have (structured outputs allow 10). */
export const MAX_JSON_DEPTH = 128;

/** Why such a body is refused, in the caller's terms. */
export const TOO_DEEP_MESSAGE = `The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`;

/** The code of the error a body parser raises for such a body; GatewayExceptionFilter answers it. */
export const JSON_TOO_DEEP = 'SYNAPSE_JSON_TOO_DEEP';

/** That error, as Fastify's own parser errors look (a code and a 400 status). */
export function jsonTooDeepError(): Error & { code: string; statusCode: number } {
  return Object.assign(new Error(TOO_DEEP_MESSAGE), { code: JSON_TOO_DEEP, statusCode: 400 });
}

/**
 * Whether JSON text nests arrays and objects deeper than `max`, scanned before it is parsed.
 * JSON.parse takes 100,000 levels, but JSON.stringify and every recursive walk of the body
 * overflow the stack long before: a caller's bad input became a 500. Text of at most 2 × max
 * characters cannot nest that deep and is not scanned (the bench's calls); strings are skipped
 * with indexOf, so a long prompt costs little next to its parse.
 */
export function nestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  if (text.length <= 2 * max) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      // An unterminated string: not JSON, which the parse reports.
      if (i < 0) return false;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
    }
  }
  return false;
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** The index of the quote that ends the string opened at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  let end = start;
  do {
    end = text.indexOf('"', end + 1);
    if (end < 0) return -1;
  } while (escaped(text, end));
  return end;
}

/** Whether the character at `at` follows an odd number of backslashes. */
function escaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
  return backslashes % 2 === 1;
}
