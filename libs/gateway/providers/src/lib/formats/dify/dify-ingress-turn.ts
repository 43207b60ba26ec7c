import type { JsonObject } from '../wire-format';

/** The three Dify app APIs a gateway key can be called through. */
export type DifyApp = 'chat' | 'completion' | 'workflow';

/** USD per million tokens, as the gateway's price book has them. */
export interface DifyPrice {
  input: number;
  output: number;
}

/** An answer that failed after the call was accepted, as Dify reports it. */
export interface DifyFailure {
  status: number;
  code: string;
  message: string;
}

/**
 * One Dify generation as the gateway serves it: the ids the caller sees (made up front, so that
 * a stop call can name the task from the first event) and, filled while the answer is relayed,
 * what the conversation store keeps afterwards.
 */
export interface DifyTurn {
  app: DifyApp;
  taskId: string;
  messageId: string;
  /** Chat apps only. */
  conversationId: string | null;
  /** Workflow apps: the run id and the (fixed) workflow id. */
  workflowRunId: string;
  workflowId: string;
  inputs: JsonObject;
  /** Unix seconds, as Dify's `created_at`. */
  createdAt: number;
  /** performance.now() at the start, for `latency` and `elapsed_time`. */
  startedMs: number;
  /** The model the upstream says answered (the `model` of its answer), for the price. */
  servedModel: string | null;
  /** A model's price, for the `*_price` fields of `metadata.usage`; null: unpriced (prices 0). */
  priceOf: (model: string | null) => DifyPrice | null;
  answer: string;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | undefined;
  /** Set when the answer was replaced (content filter) or failed. */
  replaced: boolean;
  failure: DifyFailure | undefined;
  /** The caller asked to stop (a stop endpoint): the answer ends where it was. */
  stopped: boolean;
}

export function newDifyTurn(
  fields: Pick<DifyTurn, 'app' | 'taskId' | 'messageId' | 'conversationId' | 'workflowRunId' | 'workflowId' | 'inputs'>,
  now = Date.now(),
  startedMs = 0,
): DifyTurn {
  return {
    ...fields,
    createdAt: Math.floor(now / 1000),
    startedMs,
    servedModel: null,
    priceOf: () => null,
    answer: '',
    usage: undefined,
    replaced: false,
    failure: undefined,
    stopped: false,
  };
}
