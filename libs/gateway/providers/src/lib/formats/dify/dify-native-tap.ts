import { jsonEventOf, SseDataLines } from '../sse-lines';
import type { CancelRequest, JsonObject, NativeTap } from '../wire-format';
import { difyEvent } from './dify-ingress-events';
import type { DifyApp } from './dify-ingress-turn';
import { openAIUsageOfDify } from './dify-upstream-response';
import { urlPart } from '../../url-part';

/** Where each app's task is stopped. */
const STOP_PATHS: Readonly<Record<DifyApp, string>> = {
  chat: 'chat-messages',
  completion: 'completion-messages',
  workflow: 'workflows/tasks',
};

/** Workflow usage: only a total (no prompt/completion split), counted as completion tokens. */
function workflowUsage(data: unknown): JsonObject | undefined {
  const total = (data as JsonObject | undefined)?.['total_tokens'];
  return typeof total === 'number' ? { prompt_tokens: 0, completion_tokens: total, total_tokens: total } : undefined;
}

/**
 * Reads a Dify app's answer relayed unchanged to a Dify caller (pass-through): usage from
 * `metadata.usage` (blocking, `message_end`) or a workflow's `total_tokens`, and the task to stop
 * when the caller goes away (its id from the first event, the caller's `user`).
 */
export class DifyNativeTap implements NativeTap {
  private readonly lines = new SseDataLines();
  private taskId: string | undefined;
  private finished = false;
  usage: JsonObject | undefined;

  constructor(
    private readonly app: DifyApp,
    private readonly user: string,
  ) {}

  push(text: string): void {
    for (const data of this.lines.push(text)) this.onEvent(data);
  }

  json(body: JsonObject): void {
    this.usage = this.app === 'workflow' ? workflowUsage(body['data']) : openAIUsageOfDify(body['metadata']);
  }

  fail(message: string): string {
    this.finished = true;
    return difyEvent({
      event: 'error',
      ...(this.taskId && { task_id: this.taskId }),
      status: 500,
      code: 'completion_request_error',
      message,
    });
  }

  cancelRequest(): CancelRequest | undefined {
    if (!this.taskId || this.finished) return undefined;
    return { path: `/${STOP_PATHS[this.app]}/${urlPart(this.taskId)}/stop`, body: { user: this.user } };
  }

  private onEvent(data: string): void {
    const event = jsonEventOf(data);
    if (!event) return;
    if (typeof event['task_id'] === 'string') this.taskId ??= event['task_id'];
    switch (event['event']) {
      case 'message_end':
        this.usage = openAIUsageOfDify(event['metadata']);
        this.finished = true;
        return;
      case 'workflow_finished':
        // A Chatflow (chat app) sends it too, before or after message_end, which has the better usage.
        if (this.app !== 'workflow') return;
        this.usage = workflowUsage(event['data']);
        this.finished = true;
        return;
      case 'error':
        this.finished = true;
        return;
    }
  }
}
