/** Settings of body capture (BODY_CAPTURE_MAX_BYTES, BODY_CAPTURE_REDACT). */
export interface BodyCaptureOptions {
  /** Bytes kept of each body (UTF-8); the rest is cut and marked. */
  maxBytes: number;
  /** Patterns whose matches are replaced by `[redacted]`, on top of the built-in ones. */
  redact: readonly RegExp[];
}

export const BODY_CAPTURE_OPTIONS = Symbol('BODY_CAPTURE_OPTIONS');

export const REDACTED = '[redacted]';

/**
 * What is never stored, whatever the settings: API keys (OpenAI/Anthropic-style `sk-…`, AWS access
 * key ids, Google `AIza…`), bearer tokens, JWTs, values of JSON fields named like secrets, and
 * email addresses. Each pattern's first group, when it has one, is kept (the field name, `Bearer `).
 */
export const BUILT_IN_REDACTIONS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{30,}/g,
  /(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  /("(?:api[_-]?key|password|passwd|secret|token|access[_-]?token|refresh[_-]?token|authorization)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
  // Tried only where a run of its characters starts (the lookbehind): unanchored, it rescanned a run
  // from every position, 11 s over 70 KB of base64 (an image in a vision call) on the event loop.
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
];

/** The marker put where a body was cut. */
export function truncationMarker(droppedBytes: number): string {
  return `…[truncated ${droppedBytes} bytes]`;
}

/**
 * Makes a body fit to store: secrets redacted, then cut to `maxBytes` (on a character boundary)
 * with a marker. Runs in the batch writer, never on the request path.
 */
export class BodyRedactor {
  private readonly patterns: readonly RegExp[];

  constructor(private readonly options: BodyCaptureOptions) {
    this.patterns = [...BUILT_IN_REDACTIONS, ...options.redact].map((p) =>
      p.global ? p : new RegExp(p.source, `${p.flags}g`),
    );
  }

  prepare(body: string | Buffer | null | undefined): { text: string | null; truncated: boolean } {
    if (body === null || body === undefined) return { text: null, truncated: false };
    const { maxBytes } = this.options;
    // Redacting megabytes to keep kilobytes wastes time: only a margin beyond the cap is looked at,
    // and that margin is cut off afterwards, so that a secret split at the first cut never shows.
    const window = maxBytes * 2 + 4096;
    const totalBytes = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    let text = typeof body === 'string' ? body : body.subarray(0, window).toString('utf8');
    if (text.length > window) text = text.slice(0, window);
    for (const pattern of this.patterns) {
      pattern.lastIndex = 0;
      text = text.replace(pattern, (match: string, kept?: unknown) =>
        typeof kept === 'string' && match.startsWith(kept) ? `${kept}${quoteLike(match, kept)}` : REDACTED,
      );
    }
    const bytes = Buffer.byteLength(text);
    const cutEarlier = totalBytes > window;
    if (bytes <= maxBytes && !cutEarlier) return { text, truncated: false };
    const kept = cutUtf8(text, maxBytes);
    return { text: kept + truncationMarker(totalBytes - Buffer.byteLength(kept)), truncated: true };
  }
}

/** `"token": "…"` keeps its quotes around the replacement, so that JSON stays JSON. */
function quoteLike(match: string, kept: string): string {
  return match.slice(kept.length).startsWith('"') ? `"${REDACTED}"` : REDACTED;
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes, never half a character. */
function cutUtf8(text: string, maxBytes: number): string {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && (buffer[end] & 0xc0) === 0x80) end--;
  return buffer.subarray(0, end).toString('utf8');
}
