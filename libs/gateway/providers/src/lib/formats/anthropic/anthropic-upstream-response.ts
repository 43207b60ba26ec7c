import { ToCanonicalStream } from '../to-canonical-stream';
import type { JsonObject } from '../wire-format';

/** Anthropic stop_reason → OpenAI finish_reason (protocol notes §6.2). */
export function finishReasonOf(stopReason: unknown): string {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** Anthropic usage → OpenAI's: cached and cache-writing input tokens count as prompt tokens. */
export function openAIUsageOf(usage: unknown): JsonObject {
  const u = (usage && typeof usage === 'object' ? usage : {}) as JsonObject;
  const cached = num(u['cache_read_input_tokens']);
  const prompt = num(u['input_tokens']) + cached + num(u['cache_creation_input_tokens']);
  const completion = num(u['output_tokens']);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached },
  };
}

/** An Anthropic message as a canonical chat completion; thinking goes to the common `reasoning_content`. */
export function anthropicToCanonicalResponse(response: JsonObject): JsonObject {
  const blocks = Array.isArray(response['content']) ? (response['content'] as JsonObject[]) : [];
  let text = '';
  let reasoning = '';
  const toolCalls: JsonObject[] = [];
  for (const block of blocks) {
    if (block['type'] === 'text') text += String(block['text'] ?? '');
    else if (block['type'] === 'thinking') reasoning += String(block['thinking'] ?? '');
    else if (block['type'] === 'tool_use') {
      toolCalls.push({
        id: block['id'],
        type: 'function',
        function: { name: block['name'], arguments: JSON.stringify(block['input'] ?? {}) },
      });
    }
  }
  const message: JsonObject = { role: 'assistant', content: text || (toolCalls.length > 0 ? null : '') };
  if (reasoning) message['reasoning_content'] = reasoning;
  if (toolCalls.length > 0) message['tool_calls'] = toolCalls;
  return {
    id: response['id'],
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: response['model'],
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReasonOf(response['stop_reason']) }],
    usage: openAIUsageOf(response['usage']),
  };
}

/**
 * Anthropic Messages events → OpenAI chat completion chunks (protocol notes §6.4). Tool blocks get
 * OpenAI tool indexes counted from 0; usage (input from message_start, output from the last
 * message_delta) ends the stream when asked for; `[DONE]` follows message_stop.
 */
export class AnthropicToCanonicalStream extends ToCanonicalStream {
  private startUsage: JsonObject = {};
  private outputTokens = 0;
  /** Anthropic block index → OpenAI tool index. */
  private readonly tools = new Map<number, number>();

  protected onEvent(data: string): string {
    let event: JsonObject;
    try {
      event = JSON.parse(data) as JsonObject;
    } catch {
      return '';
    }
    switch (event['type']) {
      case 'message_start': {
        const message = (event['message'] ?? {}) as JsonObject;
        this.id = String(message['id'] ?? '');
        this.model = String(message['model'] ?? '');
        this.startUsage = (message['usage'] ?? {}) as JsonObject;
        this.outputTokens = num(this.startUsage['output_tokens']);
        return this.chunk({ role: 'assistant', content: '' });
      }
      case 'content_block_start': {
        const block = (event['content_block'] ?? {}) as JsonObject;
        if (block['type'] !== 'tool_use') return '';
        const toolIndex = this.tools.size;
        this.tools.set(num(event['index']), toolIndex);
        return this.chunk({
          tool_calls: [
            { index: toolIndex, id: block['id'], type: 'function', function: { name: block['name'], arguments: '' } },
          ],
        });
      }
      case 'content_block_delta': {
        const delta = (event['delta'] ?? {}) as JsonObject;
        if (delta['type'] === 'text_delta') return this.chunk({ content: delta['text'] });
        if (delta['type'] === 'thinking_delta') return this.chunk({ reasoning_content: delta['thinking'] });
        if (delta['type'] === 'input_json_delta' && delta['partial_json']) {
          const toolIndex = this.tools.get(num(event['index'])) ?? 0;
          return this.chunk({ tool_calls: [{ index: toolIndex, function: { arguments: delta['partial_json'] } }] });
        }
        return '';
      }
      case 'message_delta': {
        const usage = (event['usage'] ?? {}) as JsonObject;
        if (typeof usage['output_tokens'] === 'number') this.outputTokens = usage['output_tokens'];
        for (const field of ['input_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens']) {
          if (typeof usage[field] === 'number') this.startUsage = { ...this.startUsage, [field]: usage[field] };
        }
        const delta = (event['delta'] ?? {}) as JsonObject;
        return delta['stop_reason'] ? this.chunk({}, finishReasonOf(delta['stop_reason'])) : '';
      }
      case 'message_stop':
        return this.finish();
      case 'error': {
        const error = (event['error'] ?? {}) as JsonObject;
        return this.fail(`${String(error['type'] ?? 'error')}: ${String(error['message'] ?? 'the upstream failed')}`);
      }
      default:
        return ''; // ping and event types newer than this code
    }
  }

  protected closing(): string {
    this.usage = openAIUsageOf({ ...this.startUsage, output_tokens: this.outputTokens });
    return ''; // the finish_reason went with message_delta
  }
}
