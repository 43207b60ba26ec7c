/** Line breaks and other control characters, which would start a new line in a text log or hide part of one. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds.
const CONTROL = /[\x00-\x1f\x7f\u2028\u2029]/g;

/**
 * Text another party chose (an upstream's error message), made one line for a text log: each
 * control character written as its JSON escape (`\n`, `\u0000`). Written raw, an upstream could
 * add lines of its own to the gateway's log, made to look like the gateway's.
 */
export function logLine(text: string): string {
  return text.replace(CONTROL, escaped);
}

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escaped(char: string): string {
  return SHORT[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
