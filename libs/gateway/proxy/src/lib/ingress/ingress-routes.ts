import { ANTHROPIC } from './anthropic.ingress';
import type { IngressRoute } from './ingress';
import { RESPONSES } from './responses.ingress';

/** POST routes in other formats than OpenAI's, looked up only when a path is not an OpenAI one. */
export const INGRESS_ROUTES: ReadonlyMap<string, IngressRoute> = new Map<string, IngressRoute>([
  ['/v1/messages', { ingress: ANTHROPIC, action: 'call' }],
  ['/v1/messages/count_tokens', { ingress: ANTHROPIC, action: 'count_tokens' }],
  ['/v1/responses', { ingress: RESPONSES, action: 'call' }],
  ['/v1/responses/input_tokens', { ingress: RESPONSES, action: 'count_tokens' }],
]);
