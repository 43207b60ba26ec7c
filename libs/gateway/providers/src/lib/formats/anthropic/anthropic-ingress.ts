import type { IngressFormat } from '../wire-format';
import { anthropicToCanonical } from './anthropic-request';
import { canonicalToAnthropic } from './anthropic-response';
import { AnthropicStreamTranscoder } from './anthropic-stream';

/** Callers of Anthropic's Messages API (`POST /v1/messages`), served by any routed upstream. */
export const ANTHROPIC_INGRESS: IngressFormat = {
  name: 'anthropic',
  toCanonical: anthropicToCanonical,
  fromCanonical: canonicalToAnthropic,
  streamTranscoder: (requestedModel) => new AnthropicStreamTranscoder(requestedModel),
};
