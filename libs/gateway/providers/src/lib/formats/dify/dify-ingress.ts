import type { IngressFormat, JsonObject } from '../wire-format';
import { DifyEvents } from './dify-ingress-events';
import { DifyIngressStream } from './dify-ingress-stream';
import type { DifyTurn } from './dify-ingress-turn';
import { canonicalUsageOf } from './dify-ingress-usage';

function answerOf(response: JsonObject): { text: string; filtered: boolean } {
  const choices = Array.isArray(response['choices']) ? (response['choices'] as JsonObject[]) : [];
  const first = choices[0] ?? {};
  const content = ((first['message'] ?? {}) as JsonObject)['content'];
  return { text: typeof content === 'string' ? content : '', filtered: first['finish_reason'] === 'content_filter' };
}

/**
 * The ingress format of one Dify call (docs/dify.md#dify-as-an-ingress). Dify requests carry no
 * model and chat history lives in the gateway, so the canonical request is built before the call
 * (with the key's model and the stored history) and the format only hands it over; the answers are
 * written into `turn` on their way back, for the conversation store.
 */
export function difyIngressFormat(
  canonical: JsonObject & { model: string },
  turn: DifyTurn,
  now: () => number,
): IngressFormat {
  return {
    name: 'dify',
    toCanonical: () => canonical,
    fromCanonical(response) {
      const { text, filtered } = answerOf(response);
      turn.answer = text;
      turn.replaced = filtered;
      turn.usage = canonicalUsageOf(response['usage']);
      if (typeof response['model'] === 'string') turn.servedModel = response['model'];
      const events = new DifyEvents(turn, now);
      return turn.app === 'workflow' ? events.blockingWorkflow() : events.blockingMessage();
    },
    streamTranscoder: () => new DifyIngressStream(turn, now),
  };
}
