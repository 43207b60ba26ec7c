const EMBEDDING_KEY = Buffer.from('"embedding"');
const JSON_SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * The openai SDKs ask for `encoding_format: "base64"` by default and decode the answer themselves.
 * Many OpenAI-compatible servers ignore the field and answer with float arrays, which the SDK would
 * then decode as garbage. When the caller asked for base64 and got floats, encode them as OpenAI
 * does: little-endian float32, base64. Anything else is returned unchanged.
 */
export function ensureBase64Embeddings(requestBody: Record<string, unknown>, responseBody: Buffer): Buffer {
  if (requestBody['encoding_format'] !== 'base64' || !startsWithFloats(responseBody)) return responseBody;
  let parsed: { data?: { embedding?: unknown }[] };
  try {
    parsed = JSON.parse(responseBody.toString('utf8'));
  } catch {
    return responseBody;
  }
  if (!Array.isArray(parsed.data)) return responseBody;
  for (const item of parsed.data) {
    if (Array.isArray(item?.embedding)) {
      item.embedding = Buffer.from(new Float32Array(item.embedding as number[]).buffer).toString('base64');
    }
  }
  return Buffer.from(JSON.stringify(parsed));
}

/**
 * Whether the first `"embedding"` value is an array. An upstream answers every item in one
 * encoding, so the scan stops at the first item instead of searching the whole body (a batch of
 * base64 vectors is hundreds of KB).
 */
function startsWithFloats(body: Buffer): boolean {
  // `"embedding"` is also the value of each item's `object`: the first one followed by a colon is the key.
  for (let found = body.indexOf(EMBEDDING_KEY); found >= 0; found = body.indexOf(EMBEDDING_KEY, found + 1)) {
    let at = found + EMBEDDING_KEY.length;
    while (JSON_SPACE.has(body[at])) at++;
    if (body[at] !== 0x3a /* : */) continue;
    at++;
    while (JSON_SPACE.has(body[at])) at++;
    return body[at] === 0x5b; /* [ */
  }
  return false;
}
