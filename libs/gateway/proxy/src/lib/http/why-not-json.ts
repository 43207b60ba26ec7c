/**
 * Why a body JSON.parse refused is not JSON, in words the caller can act on. Only reached on a
 * body that failed to parse: nothing is checked on the calls that succeed.
 */
export function whyNotJson(contentEncoding: string | undefined, text: string): string {
  if (contentEncoding && contentEncoding.toLowerCase() !== 'identity') {
    return `The request body is encoded (Content-Encoding: ${contentEncoding}); send the JSON uncompressed.`;
  }
  if (text.charCodeAt(0) === 0xfeff)
    return 'The request body starts with a byte order mark (U+FEFF); send the JSON without it.';
  return 'The request body is not valid JSON.';
}
