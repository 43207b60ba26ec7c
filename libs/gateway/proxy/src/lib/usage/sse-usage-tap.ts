import { StringDecoder } from 'node:string_decoder';
import { toUsage, type Usage } from './usage';

/** Completion text kept for the tokenizer fallback; beyond this the count is of what was kept. */
const MAX_TEXT = 4 * 1024 * 1024;
/**
 * Longest event read. A longer one (an upstream that never ends its event) is passed on unread: its
 * usage and text go uncounted, and the tap holds no more than this of it.
 */
export const MAX_EVENT_CHARS = 1024 * 1024;

/**
 * Watches an OpenAI-style SSE stream on its way to the caller: picks up the usage chunk and the
 * completion text, and, when the gateway asked for usage on the caller's behalf, removes the
 * usage-only chunk the caller did not ask for.
 *
 * When nothing has to be removed, every upstream chunk is forwarded byte for byte as it arrives.
 * When the usage chunk must be removed, complete events are forwarded as each one ends.
 * Each character is looked at a bounded number of times, however the upstream cuts its chunks.
 */
export class SseUsageTap {
  usage: Usage | undefined;
  sawDone = false;
  private readonly decoder = new StringDecoder('utf8');
  /** The event in progress, line ends made `\n`. */
  private pending = '';
  /** Where the search for the event's end resumes: `pending` has none before it. */
  private scanned = 0;
  /** A `\r` that ended the last chunk: the next one tells whether it starts `\r\n`. */
  private heldReturn = false;
  /** The event in progress outgrew MAX_EVENT_CHARS: its rest goes on unread. */
  private skipping = false;
  private readonly text: string[] = [];
  private textLength = 0;

  constructor(private readonly dropUsageChunk: boolean) {}

  /** What to send to the caller for this upstream chunk (possibly nothing yet). */
  push(chunk: Buffer): Buffer | string | null {
    this.append(this.decoder.write(chunk));
    const drop = this.dropUsageChunk;
    let out = '';
    let start = 0;
    for (let end = this.pending.indexOf('\n\n', this.scanned); end >= 0; end = this.pending.indexOf('\n\n', start)) {
      const event = this.pending.slice(start, end);
      start = end + 2;
      if (this.skipping) {
        this.skipping = false;
        if (drop) out += `${event}\n\n`;
      } else if (event && !this.inspect(event) && drop) {
        out += `${event}\n\n`;
      }
    }
    if (start > 0) this.pending = this.pending.slice(start);
    if (this.pending.length > MAX_EVENT_CHARS) {
      // All but the last character, which may be the first `\n` of the event's end.
      if (drop) out += this.pending.slice(0, -1);
      this.pending = this.pending.slice(-1);
      this.skipping = true;
    }
    this.scanned = Math.max(0, this.pending.length - 1);
    if (!drop) return chunk;
    return out || null;
  }

  /** Whatever is left when the upstream ends: an unterminated last event is still delivered. */
  end(): string | null {
    this.append(this.decoder.end());
    if (this.heldReturn) this.pending += '\n';
    const rest = this.pending;
    this.pending = '';
    if (this.skipping) return this.dropUsageChunk ? rest : null;
    // trimEnd, not /\s+$/: that regex is quadratic in a run of spaces followed by something else.
    const event = rest.trimEnd();
    if (!event) return null;
    const dropped = this.inspect(event);
    return this.dropUsageChunk && !dropped ? `${event}\n\n` : null;
  }

  completionText(): string {
    return this.text.join('');
  }

  /** Adds decoded text to the event in progress, its `\r\n` and `\r` line ends made `\n`. */
  private append(text: string): void {
    if (this.heldReturn) {
      text = '\r' + text;
      this.heldReturn = false;
    }
    if (text.includes('\r')) {
      if (text.endsWith('\r')) {
        text = text.slice(0, -1);
        this.heldReturn = true;
      }
      text = text.replace(/\r\n?/g, '\n');
    }
    this.pending += text;
  }

  /** Records what the event carries; returns true when it is a usage-only chunk to withhold. */
  private inspect(event: string): boolean {
    let data = '';
    for (const line of event.split('\n')) {
      if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(line[5] === ' ' ? 6 : 5);
    }
    if (!data) return false;
    if (data === '[DONE]') {
      this.sawDone = true;
      return false;
    }
    let payload: { usage?: unknown; choices?: unknown } | null;
    try {
      payload = JSON.parse(data);
    } catch {
      return false;
    }
    // `data: null`, `data: 3`: valid JSON, not a chunk; passed on as it came.
    if (typeof payload !== 'object' || payload === null) return false;
    const usage = toUsage(payload.usage);
    if (usage) this.usage = usage;
    const choices = Array.isArray(payload.choices) ? payload.choices : [];
    for (const choice of choices) this.collectText(choice);
    return this.dropUsageChunk && usage !== undefined && Array.isArray(payload.choices) && choices.length === 0;
  }

  private collectText(choice: { delta?: { content?: unknown; tool_calls?: unknown }; text?: unknown }): void {
    if (this.textLength >= MAX_TEXT) return;
    const parts: unknown[] = [choice?.delta?.content, choice?.text];
    const toolCalls = choice?.delta?.tool_calls;
    if (Array.isArray(toolCalls)) for (const call of toolCalls) parts.push(call?.function?.arguments);
    for (const part of parts) {
      if (typeof part === 'string' && part) {
        this.text.push(part);
        this.textLength += part.length;
      }
    }
  }
}
