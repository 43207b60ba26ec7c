import type { JsonObject } from '../wire-format';
import type { DifyFailure, DifyTurn } from './dify-ingress-turn';
import { difyUsage } from './dify-ingress-usage';

/** Dify's keep-alive: an `event:` line and no data (parsers of `data:` lines skip it). */
export const DIFY_PING = 'event: ping\n\n';

/** The text a content filter's cut is replaced with (Dify's moderation sends its preset answer). */
export const DIFY_FILTERED_ANSWER = 'The answer was withheld by the content filter.';

/** One event as Dify frames it: a `data:` line with the JSON, `event` inside, and a blank line. */
export function difyEvent(data: JsonObject): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

/** The one node a gateway-backed workflow runs. */
const NODE = { node_id: 'llm', node_type: 'llm', title: 'LLM', index: 1, predecessor_node_id: null } as const;

/** Builds the events and bodies of one turn; `now` is the clock (ms) for latency and elapsed time. */
export class DifyEvents {
  constructor(
    private readonly turn: DifyTurn,
    private readonly now: () => number,
  ) {}

  /** Fields every chat and completion event carries. */
  private messageFields(): JsonObject {
    const { turn } = this;
    return {
      task_id: turn.taskId,
      id: turn.messageId,
      message_id: turn.messageId,
      ...(turn.app === 'chat' && { conversation_id: turn.conversationId }),
      created_at: turn.createdAt,
    };
  }

  private workflowFields(): JsonObject {
    return { task_id: this.turn.taskId, workflow_run_id: this.turn.workflowRunId };
  }

  private seconds(): number {
    return Math.max(0, Math.round(this.now() - this.turn.startedMs) / 1000);
  }

  private metadata(): JsonObject {
    return { usage: difyUsage(this.turn, this.now()), retriever_resources: [] };
  }

  message(answer: string): string {
    return difyEvent({ event: 'message', ...this.messageFields(), answer });
  }

  messageReplace(answer: string): string {
    return difyEvent({ event: 'message_replace', ...this.messageFields(), answer, reason: 'content_filter' });
  }

  messageEnd(): string {
    return difyEvent({ event: 'message_end', ...this.messageFields(), metadata: this.metadata(), files: null });
  }

  error(failure: DifyFailure): string {
    const { task_id, message_id, conversation_id } = this.messageFields();
    const ids =
      this.turn.app === 'workflow'
        ? { task_id: this.turn.taskId, workflow_run_id: this.turn.workflowRunId }
        : { task_id, message_id, ...(this.turn.app === 'chat' && { conversation_id }) };
    return difyEvent({ event: 'error', ...ids, ...failure });
  }

  workflowStarted(): string {
    const { turn } = this;
    return difyEvent({
      event: 'workflow_started',
      ...this.workflowFields(),
      data: { id: turn.workflowRunId, workflow_id: turn.workflowId, inputs: turn.inputs, created_at: turn.createdAt },
    });
  }

  nodeStarted(): string {
    return difyEvent({
      event: 'node_started',
      ...this.workflowFields(),
      data: { id: this.nodeRunId(), ...NODE, inputs: this.turn.inputs, created_at: this.turn.createdAt },
    });
  }

  textChunk(text: string): string {
    return difyEvent({
      event: 'text_chunk',
      ...this.workflowFields(),
      data: { text, from_variable_selector: ['llm', 'text'] },
    });
  }

  nodeFinished(): string {
    const { turn } = this;
    const usage = difyUsage(turn, this.now());
    return difyEvent({
      event: 'node_finished',
      ...this.workflowFields(),
      data: {
        id: this.nodeRunId(),
        ...NODE,
        inputs: turn.inputs,
        process_data: null,
        outputs: { text: turn.answer },
        status: this.workflowStatus(),
        error: turn.failure?.message ?? null,
        elapsed_time: this.seconds(),
        execution_metadata: {
          total_tokens: usage['total_tokens'],
          total_price: usage['total_price'],
          currency: 'USD',
        },
        created_at: turn.createdAt,
        finished_at: Math.floor(Date.now() / 1000),
      },
    });
  }

  workflowFinished(): string {
    return difyEvent({ event: 'workflow_finished', ...this.workflowFields(), data: this.workflowRun() });
  }

  /** `POST /chat-messages` and `/completion-messages` in blocking mode. */
  blockingMessage(): JsonObject {
    return {
      event: 'message',
      ...this.messageFields(),
      mode: this.turn.app === 'chat' ? 'chat' : 'completion',
      answer: this.turn.answer,
      metadata: this.metadata(),
    };
  }

  /** `POST /workflows/run` in blocking mode. */
  blockingWorkflow(): JsonObject {
    return { ...this.workflowFields(), data: this.workflowRun() };
  }

  private workflowRun(): JsonObject {
    const { turn } = this;
    return {
      id: turn.workflowRunId,
      workflow_id: turn.workflowId,
      status: this.workflowStatus(),
      outputs: turn.failure ? null : { text: turn.answer },
      error: turn.failure?.message ?? null,
      elapsed_time: this.seconds(),
      total_tokens: turn.usage?.total_tokens ?? 0,
      total_steps: 1,
      created_at: turn.createdAt,
      finished_at: Math.floor(Date.now() / 1000),
    };
  }

  private workflowStatus(): string {
    if (this.turn.failure) return 'failed';
    return this.turn.stopped ? 'stopped' : 'succeeded';
  }

  /** The node's execution id: the run id's last block changed, stable for the run. */
  private nodeRunId(): string {
    return `${this.turn.workflowRunId.slice(0, 24)}${'0'.repeat(11)}1`;
  }
}
