import { LineSplitter } from './line-splitter';

/**
 * Splits a stream of SSE text into complete `data:` payloads, whatever the chunk boundaries.
 * Only `data:` lines matter to the canonical (OpenAI) stream; comments and other fields are skipped.
 */
export class SseDataLines {
  private readonly lines = new LineSplitter();

  /** The data payloads completed by this piece of text. */
  push(text: string): string[] {
    return dataOf(this.lines.push(text));
  }

  /** A last line without its newline. */
  end(): string[] {
    return dataOf(this.lines.end());
  }
}

function dataOf(lines: string[]): string[] {
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('data:')) out.push(line.slice(line.charAt(5) === ' ' ? 6 : 5));
  }
  return out;
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
