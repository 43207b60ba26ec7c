import { urlPart } from '@synapse/gateway/providers';

/**
 * A character Node refuses in a header value (ERR_INVALID_CHAR), or one it would send as Latin-1;
 * or `%`, so that a client can always decode the header (`decodeURIComponent`).
 */
const TO_ENCODE = /[^\x20-\x24\x26-\x7e]/;

/**
 * A route or model name made fit for an `x-synapse-*` header: as it is when it is printable
 * ASCII without `%`, else percent-encoded as UTF-8 (urlPart). Names are free text (a route named 通义千问, a
 * model name a caller sent with a control character in it): written raw, Node threw after the
 * upstream had answered, and the caller got a 500 for a call that was served.
 */
export function headerSafe(name: string): string {
  return TO_ENCODE.test(name) ? urlPart(name) : name;
}
