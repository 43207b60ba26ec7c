const FLOAT_EMBEDDING = Buffer.from('"embedding":[');

/**
 * The openai SDKs ask for `encoding_format: "base64"` by default and decode the answer themselves.
 * Many OpenAI-compatible servers ignore the field and answer with float arrays, which the SDK would
 * then decode as garbage. When the caller asked for base64 and got floats, encode them as OpenAI
 * does: little-endian float32, base64. Anything else is returned unchanged.
 */
export function ensureBase64Embeddings(requestBody: Record<string, unknown>, responseBody: Buffer): Buffer {
  if (requestBody['encoding_format'] !== 'base64' || !responseBody.includes(FLOAT_EMBEDDING)) return responseBody;
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
