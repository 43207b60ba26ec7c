import { SseDataLines } from '../sse-lines';
import type { JsonObject, StreamTranscoder } from '../wire-format';
import { DIFY_FILTERED_ANSWER, DifyEvents } from './dify-ingress-events';
import type { DifyTurn } from './dify-ingress-turn';
import { canonicalUsageOf } from './dify-ingress-usage';

/**
 * OpenAI chat completion chunks → Dify's stream. Chat and completion apps: `message` events with
 * the text deltas, `message_replace` when a content filter cut the answer, `message_end` with
 * `metadata.usage`. Workflow apps (one LLM node): `workflow_started`, `node_started`, `text_chunk`
 * deltas, `node_finished`, `workflow_finished`. A failure is an `error` event. The turn collects
 * the answer and usage for the conversation store.
 */
export class DifyIngressStream implements StreamTranscoder {
  private readonly lines = new SseDataLines();
  private readonly events: DifyEvents;
  private started = false;
  private finished = false;

  constructor(
    private readonly turn: DifyTurn,
    now: () => number,
  ) {
    this.events = new DifyEvents(turn, now);
  }

  get usage(): JsonObject | undefined {
    return this.turn.usage;
  }

  push(text: string): string {
    let out = this.start();
    for (const data of this.lines.push(text)) out += this.onData(data);
    return out;
  }

  end(): string {
    let out = this.start();
    for (const data of this.lines.end()) out += this.onData(data);
    return out + this.finish();
  }

  fail(message: string): string {
    if (this.finished) return '';
    this.finished = true;
    this.turn.failure = { status: 500, code: 'completion_request_error', message };
    const { events } = this;
    const closing = this.turn.app === 'workflow' ? events.nodeFinished() + events.workflowFinished() : '';
    return this.start() + closing + events.error(this.turn.failure);
  }

  private start(): string {
    if (this.started || this.turn.app !== 'workflow') return '';
    this.started = true;
    return this.events.workflowStarted() + this.events.nodeStarted();
  }

  private onData(data: string): string {
    if (this.finished) return '';
    if (data.trim() === '[DONE]') return this.finish();
    let chunk: JsonObject;
    try {
      chunk = JSON.parse(data) as JsonObject;
    } catch {
      return '';
    }
    if (chunk['error']) {
      const error = chunk['error'] as JsonObject;
      return this.fail(typeof error['message'] === 'string' ? error['message'] : 'The upstream stream failed.');
    }
    if (typeof chunk['model'] === 'string') this.turn.servedModel ??= chunk['model'];
    const usage = canonicalUsageOf(chunk['usage']);
    if (usage) this.turn.usage = usage;
    let out = '';
    const choices = Array.isArray(chunk['choices']) ? (chunk['choices'] as JsonObject[]) : [];
    for (const choice of choices) {
      if ((choice['index'] ?? 0) !== 0) continue;
      const delta = (choice['delta'] ?? {}) as JsonObject;
      if (typeof delta['content'] === 'string' && delta['content'] !== '') out += this.text(delta['content']);
      if (choice['finish_reason'] === 'content_filter' && this.turn.app !== 'workflow') {
        this.turn.replaced = true;
        this.turn.answer = DIFY_FILTERED_ANSWER;
        out += this.events.messageReplace(DIFY_FILTERED_ANSWER);
      }
    }
    return out;
  }

  private text(delta: string): string {
    this.turn.answer += delta;
    return this.turn.app === 'workflow' ? this.events.textChunk(delta) : this.events.message(delta);
  }

  private finish(): string {
    if (this.finished) return '';
    this.finished = true;
    const { events } = this;
    return this.turn.app === 'workflow' ? events.nodeFinished() + events.workflowFinished() : events.messageEnd();
  }
}
