import type { ProviderAdapter } from '../../provider-adapter';
import type { Endpoint } from '../../upstream-target';
import { bearerKey, upstreamHeaders } from '../../upstream-headers';
import type { UpstreamTranslator } from '../wire-format';
import { DIFY_COMPLETION_MODEL, canonicalToDifyRequest } from './dify-upstream-request';
import { DifyToCanonicalStream, difyToCanonicalResponse } from './dify-upstream-response';

export const DIFY_UPSTREAM: UpstreamTranslator = {
  toNative: canonicalToDifyRequest,
  fromNative: difyToCanonicalResponse,
  streamTranscoder: (includeUsage, native) =>
    new DifyToCanonicalStream(
      includeUsage,
      typeof native?.['user'] === 'string' ? native['user'] : undefined,
      // Only chat requests carry a top-level query.
      native && !('query' in native) ? 'completion-messages' : 'chat-messages',
    ),
};

/**
 * One Dify app (base URL such as https://api.dify.ai/v1, the app's API key): OpenAI-format chat
 * completions become `POST /chat-messages` and back (docs/dify.md), or `POST /completion-messages`
 * for a Text Generator app, marked by the upstream model name `completion`. Other model names are
 * free: Dify ignores them, the app is chosen by the key.
 */
export class DifyAdapter implements ProviderAdapter {
  readonly type = 'dify' as const;
  /** `message_end` always carries usage, so the translated stream can end with a usage chunk. */
  readonly streamUsage = true;
  readonly healthPath = '/parameters';
  /** "Conversation Not Exists.": the conversation the caller named; Dify ignores model names. */
  readonly notFoundIsCallers = true;
  readonly translator = DIFY_UPSTREAM;

  supports(endpoint: Endpoint): boolean {
    return endpoint === 'chat.completions';
  }

  pathFor(_endpoint: Endpoint, model?: string): string {
    return model === DIFY_COMPLETION_MODEL ? '/completion-messages' : '/chat-messages';
  }

  readonly headersFor = upstreamHeaders({ key: bearerKey });
}
