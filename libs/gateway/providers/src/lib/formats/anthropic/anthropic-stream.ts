import { readCanonicalData } from '../canonical-chunk';
import { SseDataLines } from '../sse-lines';
import type { JsonObject, StreamTranscoder } from '../wire-format';
import { anthropicUsageOf, messageIdOf, stopReasonOf, type AnthropicStopReason } from './anthropic-response';

function event(type: string, data: JsonObject): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

type OpenBlock = { kind: 'text' | 'thinking' } | { kind: 'tool'; toolIndex: number } | null;

/**
 * OpenAI chat completion chunks → Anthropic Messages events (protocol notes §6.3): one
 * `message_start`, each content block opened, filled and closed in turn (thinking, text, tool_use
 * with input_json_delta), then `message_delta` with stop_reason and usage, and `message_stop`.
 * Fed raw text in pieces of any size; lines split across pieces are joined first.
 */
export class AnthropicStreamTranscoder implements StreamTranscoder {
  private readonly lines = new SseDataLines();
  private started = false;
  private finished = false;
  private blockIndex = -1;
  private open: OpenBlock = null;
  /** Tool calls already given a block (by OpenAI tool index): later fragments of a closed one are dropped. */
  private readonly toolsSeen = new Set<number>();
  private stopReason: AnthropicStopReason | null = null;
  usage: JsonObject | undefined;

  constructor(private readonly requestedModel: string) {}

  push(text: string): string {
    let out = '';
    for (const data of this.lines.push(text)) out += this.onData(data);
    return out;
  }

  end(): string {
    let out = '';
    for (const data of this.lines.end()) out += this.onData(data);
    return out + this.finish();
  }

  fail(message: string): string {
    if (this.finished) return '';
    this.finished = true;
    return event('error', { error: { type: 'api_error', message } });
  }

  private onData(data: string): string {
    if (this.finished) return '';
    const read = readCanonicalData(data);
    if (read.kind === 'done') return this.finish();
    if (read.kind === 'error') return this.fail(read.message);
    if (read.kind === 'skip') return '';
    const { chunk, choice, delta, reasoning } = read;
    let out = this.start(chunk);
    if (read.usage) this.usage = read.usage;
    if (!choice) return out;
    if (reasoning) {
      out += this.openBlock({ kind: 'thinking' }, { type: 'thinking', thinking: '', signature: '' });
      out += this.delta({ type: 'thinking_delta', thinking: reasoning });
    }
    const content = delta['content'];
    if (typeof content === 'string' && content !== '') {
      out += this.openBlock({ kind: 'text' }, { type: 'text', text: '' });
      out += this.delta({ type: 'text_delta', text: content });
    }
    const calls = Array.isArray(delta['tool_calls']) ? (delta['tool_calls'] as JsonObject[]) : [];
    for (const call of calls) out += this.toolFragment(call);
    if (choice['finish_reason']) {
      out += this.closeBlock();
      this.stopReason = stopReasonOf(choice['finish_reason']);
    }
    return out;
  }

  private start(chunk: JsonObject): string {
    if (this.started) return '';
    this.started = true;
    const message = {
      id: messageIdOf(chunk['id']),
      type: 'message',
      role: 'assistant',
      model: typeof chunk['model'] === 'string' ? chunk['model'] : this.requestedModel,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    };
    return event('message_start', { message }) + event('ping', {});
  }

  private toolFragment(call: JsonObject): string {
    const toolIndex = typeof call['index'] === 'number' ? call['index'] : 0;
    const fn = (call['function'] ?? {}) as JsonObject;
    let out = '';
    const current = this.open;
    if (!(current?.kind === 'tool' && current.toolIndex === toolIndex)) {
      // Fragments of a tool call whose block is already closed cannot be sent any more.
      if (this.toolsSeen.has(toolIndex)) return '';
      this.toolsSeen.add(toolIndex);
      out += this.openBlock(
        { kind: 'tool', toolIndex },
        { type: 'tool_use', id: call['id'] ?? `toolu_${toolIndex}`, name: fn['name'] ?? '', input: {} },
      );
    }
    const args = fn['arguments'];
    if (typeof args === 'string' && args !== '') out += this.delta({ type: 'input_json_delta', partial_json: args });
    return out;
  }

  private openBlock(block: NonNullable<OpenBlock>, shell: JsonObject): string {
    if (this.open && this.open.kind === block.kind && block.kind !== 'tool') return '';
    const out = this.closeBlock();
    this.open = block;
    this.blockIndex++;
    return out + event('content_block_start', { index: this.blockIndex, content_block: shell });
  }

  private delta(delta: JsonObject): string {
    return event('content_block_delta', { index: this.blockIndex, delta });
  }

  private closeBlock(): string {
    if (!this.open) return '';
    this.open = null;
    return event('content_block_stop', { index: this.blockIndex });
  }

  private finish(): string {
    if (this.finished) return '';
    let out = this.start({});
    out += this.closeBlock();
    this.finished = true;
    const usage = anthropicUsageOf(this.usage);
    out += event('message_delta', {
      delta: { stop_reason: this.stopReason ?? 'end_turn', stop_sequence: null },
      usage,
    });
    return out + event('message_stop', {});
  }
}
