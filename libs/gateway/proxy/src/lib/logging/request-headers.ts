import type { RequestHeaders } from '@synapse/gateway/persistence';
import type { IncomingHttpHeaders } from 'node:http';
import { BUILT_IN_REDACTIONS, REDACTED } from './body-redactor';

/**
 * The caller's headers kept on the log row, by name (Node gives them in lower case): what tells
 * which client, SDK and API version sent a call, nothing that authenticates it. Only these are
 * ever looked at; a header's value past MAX_VALUE_CHARS is cut.
 */
export const LOGGED_REQUEST_HEADERS: readonly string[] = [
  'user-agent',
  'content-type',
  'content-length',
  'accept',
  'accept-encoding',
  'x-request-id',
  'traceparent',
  'openai-organization',
  'openai-project',
  'openai-beta',
  'anthropic-version',
  'anthropic-beta',
  'x-stainless-lang',
  'x-stainless-package-version',
  'x-stainless-os',
  'x-stainless-arch',
  'x-stainless-runtime',
  'x-stainless-runtime-version',
  'x-stainless-retry-count',
  'x-stainless-timeout',
  'x-stainless-async',
  'x-stainless-helper-method',
];

/** Never logged, whatever the list above says: credentials and session state. */
export const DENIED_REQUEST_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'cookie',
  'set-cookie',
];

/** Header names that look like they carry a secret. */
export const SECRET_HEADER_NAME = /auth|key|token|secret|passw|cookie|session|signature|credential/i;

/** Characters kept of one value: a user agent fits, a pasted document does not. */
export const MAX_VALUE_CHARS = 256;
/** Characters kept of all values together. */
export const MAX_TOTAL_CHARS = 2048;

/** Checked once at load, so that an edit of the list that lets a credential in fails at start (and in its spec). */
export function checkLoggedHeaderNames(names: readonly string[]): void {
  for (const name of names) {
    if (name !== name.toLowerCase()) throw new Error(`logged request header '${name}' must be in lower case`);
    if (DENIED_REQUEST_HEADERS.includes(name) || SECRET_HEADER_NAME.test(name)) {
      throw new Error(`request header '${name}' may carry a secret and is never logged`);
    }
  }
}
checkLoggedHeaderNames(LOGGED_REQUEST_HEADERS);

/**
 * On the request path: copies the listed headers' values out of Node's parsed headers, cut to
 * MAX_VALUE_CHARS each and MAX_TOTAL_CHARS in all. Property look-ups only, no pattern matching
 * (the values are screened for secrets later, by `redactHeaderValues` in the batch writer).
 * Null when the caller sent none of them.
 */
export function captureRequestHeaders(headers: IncomingHttpHeaders): RequestHeaders | null {
  let captured: RequestHeaders | null = null;
  let budget = MAX_TOTAL_CHARS;
  for (const name of LOGGED_REQUEST_HEADERS) {
    const raw = headers[name];
    if (raw === undefined) continue;
    let value = typeof raw === 'string' ? raw : raw.join(', ');
    if (value.length > MAX_VALUE_CHARS) value = value.slice(0, MAX_VALUE_CHARS);
    if (value.length > budget) break;
    budget -= value.length;
    (captured ??= {})[name] = value;
  }
  return captured;
}

/**
 * Off the request path (batch writer): values that look like a credential anyway (a key pasted
 * into a user agent, a bearer token in a trace header) are replaced whole by `[redacted]`.
 */
export function redactHeaderValues(headers: RequestHeaders): RequestHeaders {
  let redacted: RequestHeaders | undefined;
  for (const name in headers) {
    if (!looksSecret(headers[name])) continue;
    redacted ??= { ...headers };
    redacted[name] = REDACTED;
  }
  return redacted ?? headers;
}

/**
 * The body redactions as one pattern, tested once per value (no `g` flag: no state between tests).
 * Case-insensitive throughout: for header values, redacting a little more is the safe side.
 */
const SECRET_VALUE = new RegExp(BUILT_IN_REDACTIONS.map((p) => `(?:${p.source})`).join('|'), 'i');

function looksSecret(value: string): boolean {
  return SECRET_VALUE.test(value);
}
