import { StringDecoder } from 'node:string_decoder';
import { toUsage, type Usage } from './usage';

/** Completion text kept for the tokenizer fallback; beyond this the count is of what was kept. */
const MAX_TEXT = 4 * 1024 * 1024;

/**
 * Watches an OpenAI-style SSE stream on its way to the caller: picks up the usage chunk and the
 * completion text, and, when the gateway asked for usage on the caller's behalf, removes the
 * usage-only chunk the caller did not ask for.
 *
 * When nothing has to be removed, every upstream chunk is forwarded byte for byte as it arrives.
 * When the usage chunk must be removed, complete events are forwarded as each one ends.
 */
export class SseUsageTap {
  usage: Usage | undefined;
  sawDone = false;
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private readonly text: string[] = [];
  private textLength = 0;

  constructor(private readonly dropUsageChunk: boolean) {}

  /** What to send to the caller for this upstream chunk (possibly nothing yet). */
  push(chunk: Buffer): Buffer | string | null {
    this.pending += this.decoder.write(chunk);
    const events = this.takeCompleteEvents();
    if (!this.dropUsageChunk) {
      for (const event of events) this.inspect(event);
      return chunk;
    }
    let out = '';
    for (const event of events) {
      if (!this.inspect(event)) out += `${event}\n\n`;
    }
    return out || null;
  }

  /** Whatever is left when the upstream ends: an unterminated last event is still delivered. */
  end(): string | null {
    this.pending += this.decoder.end();
    const rest = this.pending;
    this.pending = '';
    if (!rest.trim()) return null;
    const dropped = this.inspect(rest.replace(/\s+$/, ''));
    return this.dropUsageChunk && !dropped ? `${rest.replace(/\s+$/, '')}\n\n` : null;
  }

  completionText(): string {
    return this.text.join('');
  }

  private takeCompleteEvents(): string[] {
    if (this.pending.includes('\r')) this.pending = this.pending.replace(/\r\n?/g, '\n');
    const events: string[] = [];
    let start = 0;
    for (let end = this.pending.indexOf('\n\n'); end >= 0; end = this.pending.indexOf('\n\n', start)) {
      const event = this.pending.slice(start, end);
      if (event) events.push(event);
      start = end + 2;
    }
    this.pending = this.pending.slice(start);
    return events;
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
