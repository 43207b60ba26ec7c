/** Half a surrogate pair with no other half, which encodeURIComponent throws on (URIError). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `encodeURIComponent` for text a caller or an upstream chooses (a model name, a task id): a lone
 * surrogate, which JSON lets anyone send, goes as U+FFFD's bytes, as UTF-8 has none for it. Plain
 * encodeURIComponent threw a URIError there, and the call answered 500.
 */
export function urlPart(text: string): string {
  return encodeURIComponent(text.replace(LONE_SURROGATE, '\ufffd'));
}
