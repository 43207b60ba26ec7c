import { jsonEventOf, SseDataLines } from '../sse-lines';
import type { JsonObject, NativeTap } from '../wire-format';
import { anthropicErrorBody } from './anthropic-response';
import { openAIUsageOf } from './anthropic-upstream-response';

/** Usage fields a `message_delta` may restate (newer API versions give the final counts there). */
const INPUT_FIELDS = ['input_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'] as const;

/**
 * Reads the usage of an Anthropic answer relayed unchanged to an Anthropic caller (ADR 0007's
 * pass-through): input tokens from `message_start`, output tokens from the last `message_delta`;
 * a complete answer's `usage` as it is. Thinking blocks, signatures and cache counters reach the
 * caller untouched.
 */
export class AnthropicNativeTap implements NativeTap {
  private readonly lines = new SseDataLines();
  private started: JsonObject | undefined;
  private outputTokens = 0;
  usage: JsonObject | undefined;

  push(text: string): void {
    for (const data of this.lines.push(text)) this.onEvent(data);
  }

  json(body: JsonObject): void {
    if (body['usage'] && typeof body['usage'] === 'object') this.usage = openAIUsageOf(body['usage']);
  }

  fail(message: string): string {
    return `event: error\ndata: ${JSON.stringify(anthropicErrorBody('api_error', message))}\n\n`;
  }

  private onEvent(data: string): void {
    const event = jsonEventOf(data);
    if (!event) return;
    if (event['type'] === 'message_start') {
      const message = (event['message'] ?? {}) as JsonObject;
      this.started = { ...((message['usage'] ?? {}) as JsonObject) };
      const output = this.started['output_tokens'];
      if (typeof output === 'number') this.outputTokens = output;
    } else if (event['type'] === 'message_delta') {
      const usage = (event['usage'] ?? {}) as JsonObject;
      if (typeof usage['output_tokens'] === 'number') this.outputTokens = usage['output_tokens'];
      this.started ??= {};
      for (const field of INPUT_FIELDS) if (typeof usage[field] === 'number') this.started[field] = usage[field];
    } else {
      return;
    }
    this.usage = openAIUsageOf({ ...this.started, output_tokens: this.outputTokens });
  }
}
