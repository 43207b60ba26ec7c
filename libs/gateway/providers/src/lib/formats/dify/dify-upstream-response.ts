import { ToCanonicalStream } from '../to-canonical-stream';
import type { CancelRequest, JsonObject } from '../wire-format';
import { urlPart } from '../../url-part';

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** Dify's `metadata.usage` as OpenAI usage (prices are dropped: the gateway prices tokens itself). */
export function openAIUsageOfDify(metadata: unknown): JsonObject {
  const usage = ((metadata as JsonObject | undefined)?.['usage'] ?? {}) as JsonObject;
  const prompt = num(usage['prompt_tokens']);
  const completion = num(usage['completion_tokens']);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: num(usage['total_tokens']) || prompt + completion,
  };
}

/**
 * A blocking Dify answer as a canonical chat completion. The message id becomes the completion
 * id; `conversation_id` is kept as an extra field so the caller can continue the conversation.
 */
export function difyToCanonicalResponse(response: JsonObject): JsonObject {
  return {
    id: String(response['message_id'] ?? response['id'] ?? ''),
    object: 'chat.completion',
    created: typeof response['created_at'] === 'number' ? response['created_at'] : Math.floor(Date.now() / 1000),
    model: 'dify',
    conversation_id: response['conversation_id'] ?? null,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: String(response['answer'] ?? '') },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: openAIUsageOfDify(response['metadata']),
  };
}

/**
 * Dify chat-app SSE events → OpenAI chat completion chunks (docs/dify.md). `message` and
 * `agent_message` answers become content deltas; `message_end` gives usage and the finish;
 * `message_replace` (output moderation replaced the answer) cannot take back what was sent, so
 * its text follows as a last delta with finish_reason `content_filter`; an `error` event becomes
 * the in-stream error. Every chunk carries `conversation_id`. The first event's `task_id` is kept
 * for the stop call when the caller goes away.
 */
export class DifyToCanonicalStream extends ToCanonicalStream {
  private conversationId: string | null = null;
  private taskId: string | undefined;
  private started = false;
  private finishReason = 'stop';

  /** `app`: the generation endpoint whose stop call ends the task (`chat-messages` or `completion-messages`). */
  constructor(
    includeUsage: boolean,
    private readonly user: string | undefined,
    private readonly app: 'chat-messages' | 'completion-messages' = 'chat-messages',
  ) {
    super(includeUsage);
    this.model = 'dify';
  }

  /** `POST /chat-messages/{task_id}/stop` (or completion-messages) with the same user, while the task runs. */
  cancelRequest(): CancelRequest | undefined {
    if (!this.taskId || this.finished || !this.user) return undefined;
    return { path: `/${this.app}/${urlPart(this.taskId)}/stop`, body: { user: this.user } };
  }

  protected override extraFields(): JsonObject {
    return { conversation_id: this.conversationId };
  }

  protected onEvent(data: string): string {
    let event: JsonObject;
    try {
      event = JSON.parse(data) as JsonObject;
    } catch {
      return '';
    }
    if (typeof event['task_id'] === 'string') this.taskId ??= event['task_id'];
    if (typeof event['conversation_id'] === 'string') this.conversationId = event['conversation_id'];
    if (!this.id && (typeof event['message_id'] === 'string' || typeof event['id'] === 'string')) {
      this.id = String(event['message_id'] ?? event['id']);
    }
    if (typeof event['created_at'] === 'number' && !this.started) this.created = event['created_at'];
    let out = '';
    const name = event['event'];
    if (!this.started && name !== 'error' && name !== 'ping') {
      this.started = true;
      out += this.chunk({ role: 'assistant', content: '' });
    }
    switch (name) {
      case 'message':
      case 'agent_message':
        return typeof event['answer'] === 'string' && event['answer'] !== ''
          ? out + this.chunk({ content: event['answer'] })
          : out;
      case 'message_replace':
        this.finishReason = 'content_filter';
        return out + this.chunk({ content: `\n\n${String(event['answer'] ?? '')}` });
      case 'message_end':
        this.usage = openAIUsageOfDify(event['metadata']);
        return out + this.finish();
      case 'error':
        return (
          out + this.fail(`${String(event['code'] ?? 'error')}: ${String(event['message'] ?? 'the Dify app failed')}`)
        );
      default:
        return out; // ping, agent_thought, message_file, tts and workflow events: not part of a chat completion
    }
  }

  /** The usage came with message_end (none if the stream was cut before it). */
  protected closing(): string {
    return this.started ? this.chunk({}, this.finishReason) : '';
  }
}
