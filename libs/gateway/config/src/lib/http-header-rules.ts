/*
 * What a channel may ask the gateway to send upstream, checked where a channel is defined (the
 * config file, the admin API): a header or key that HTTP cannot carry made undici refuse every
 * call to the channel, which then failed as 502 `upstream_unreachable` and cooled down.
 */

/** A header name: an RFC 9110 token. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A header value as Node and undici send one: tab, printable ASCII and Latin-1, nothing else. */
export const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export const HEADER_VALUE_PROBLEM = 'must be printable ASCII or Latin-1, without line breaks';

/** Set by the gateway itself (or by the HTTP client), so a value given here would be lost or break the call. */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'connection',
  'content-length',
  'content-type',
  'host',
  'transfer-encoding',
]);

/**
 * Connection headers that undici manages and refuses to take from a caller (`expect header not
 * supported`, `invalid keep-alive header`): given on a channel, every call to it failed.
 */
export const CLIENT_MANAGED_HEADERS: ReadonlySet<string> = new Set(['expect', 'keep-alive', 'upgrade']);

/** An upstream API key, sent in a header: printable ASCII, no spaces. */
export const API_KEY = /^[\x21-\x7e]+$/;

export const API_KEY_PROBLEM = 'must be printable ASCII without spaces';

/** One problem of a channel's headers: which header (by position), and whether its name or its value. */
export interface HeaderProblem {
  index: number;
  name: string;
  field: 'name' | 'value';
  message: string;
}

/** Problems of a channel's headers, by name, never repeating a value; empty when there are none. */
export function channelHeaderProblems(headers: readonly (readonly [name: string, value: string])[]): HeaderProblem[] {
  const seen = new Set<string>();
  const problems: HeaderProblem[] = [];
  headers.forEach(([name, value], index) => {
    const lower = name.toLowerCase();
    const problem = (field: HeaderProblem['field'], message: string) => problems.push({ index, name, field, message });
    if (!HEADER_NAME.test(name)) problem('name', 'is not a valid header name');
    else if (RESERVED_HEADERS.has(lower)) problem('name', 'is set by the gateway');
    else if (CLIENT_MANAGED_HEADERS.has(lower)) problem('name', "is managed by the gateway's HTTP client");
    else if (seen.has(lower)) problem('name', 'is given twice');
    if (!HEADER_VALUE.test(value)) problem('value', HEADER_VALUE_PROBLEM);
    seen.add(lower);
  });
  return problems;
}
