/**
 * Splits a stream of SSE text into complete `data:` payloads, whatever the chunk boundaries.
 * Only `data:` lines matter to the canonical (OpenAI) stream; comments and other fields are skipped.
 */
export class SseDataLines {
  private pending = '';

  /** The data payloads completed by this piece of text. */
  push(text: string): string[] {
    this.pending += text;
    const out: string[] = [];
    let newline = this.pending.indexOf('\n');
    while (newline >= 0) {
      const line = this.pending.slice(0, newline).replace(/\r$/, '');
      this.pending = this.pending.slice(newline + 1);
      if (line.startsWith('data:')) out.push(line.slice(line.charAt(5) === ' ' ? 6 : 5));
      newline = this.pending.indexOf('\n');
    }
    return out;
  }

  /** A last line without its newline. */
  end(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest ? this.push(rest + '\n') : [];
  }
}

/** An SSE data payload as a JSON object; undefined for anything else (a malformed event is skipped). */
export function jsonEventOf(data: string): Record<string, unknown> | undefined {
  try {
    const event: unknown = JSON.parse(data);
    return event && typeof event === 'object' && !Array.isArray(event) ? (event as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
