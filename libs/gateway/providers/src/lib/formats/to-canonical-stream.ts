import { readingAnswer } from '../upstream-failure';
import { SseDataLines } from './sse-lines';
import type { JsonObject, StreamTranscoder } from './wire-format';

/**
 * What every native upstream stream → OpenAI chat chunks transcoder shares (Anthropic, Gemini,
 * Ollama, Dify): the chunk envelope, the in-stream error, and the end of the stream, sent once
 * (the turn's closing chunk, the usage chunk when the caller asked for it, then `[DONE]`). A
 * subclass reads its upstream's events (`onEvent`) and says how its turn closes (`closing`);
 * events are SSE `data:` payloads unless it frames them otherwise (`frames`, `lastFrames`).
 */
export abstract class ToCanonicalStream implements StreamTranscoder {
  private readonly lines = new SseDataLines();
  protected id = '';
  protected model = '';
  protected created = Math.floor(Date.now() / 1000);
  protected finished = false;
  usage: JsonObject | undefined;

  constructor(protected readonly includeUsage: boolean) {}

  push(text: string): string {
    let out = '';
    for (const event of this.frames(text)) if (!this.finished) out += this.read(event);
    return out;
  }

  end(): string {
    let out = '';
    for (const event of this.lastFrames()) if (!this.finished) out += this.read(event);
    // A stream cut short before its last event still ends cleanly for the caller.
    return out + this.finish();
  }

  /** An event the subclass cannot read (`data: null`, a field of another type) is the upstream's failure. */
  private read(event: string): string {
    return readingAnswer(() => this.onEvent(event));
  }

  fail(message: string): string {
    if (this.finished) return '';
    this.finished = true;
    return `data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code: 'upstream_stream_error' } })}\n\n`;
  }

  /** The events completed by this piece of upstream text. */
  protected frames(text: string): string[] {
    return this.lines.push(text);
  }

  /** An event left without its line end when the upstream ended. */
  protected lastFrames(): string[] {
    return this.lines.end();
  }

  /** One upstream event (never after the end): the text to send for it, possibly ''. */
  protected abstract onEvent(event: string): string;

  /** Called once at the end: sets `usage`, and answers the turn's closing chunk, or '' when there is none to send. */
  protected abstract closing(): string;

  /** Fields every chunk carries beside OpenAI's (Dify's `conversation_id`). */
  protected extraFields(): JsonObject | undefined {
    return undefined;
  }

  protected chunk(delta: JsonObject, finishReason: string | null = null): string {
    return this.data({ choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] });
  }

  /** The end of the turn, once: its closing chunk, the usage chunk if asked for, `[DONE]`. */
  protected finish(): string {
    if (this.finished) return '';
    this.finished = true;
    let out = this.closing();
    if (this.includeUsage && this.usage) out += this.data({ choices: [], usage: this.usage });
    return out + 'data: [DONE]\n\n';
  }

  private data(fields: JsonObject): string {
    const chunk = {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      ...this.extraFields(),
      ...fields,
    };
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }
}
