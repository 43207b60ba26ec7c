import type { ProviderAdapter } from '../../provider-adapter';
import type { Endpoint } from '../../upstream-target';
import { upstreamHeaders } from '../../upstream-headers';
import type { UpstreamTranslator } from '../wire-format';
import { canonicalToAnthropicRequest } from './anthropic-upstream-request';
import { AnthropicToCanonicalStream, anthropicToCanonicalResponse } from './anthropic-upstream-response';

/** The API version the translators follow; a channel header `anthropic-version` overrides it. */
export const ANTHROPIC_VERSION = '2023-06-01';

export const ANTHROPIC_UPSTREAM: UpstreamTranslator = {
  toNative: canonicalToAnthropicRequest,
  fromNative: anthropicToCanonicalResponse,
  streamTranscoder: (includeUsage) => new AnthropicToCanonicalStream(includeUsage),
};

/**
 * Anthropic's native Messages API (base URL https://api.anthropic.com): chat completions only,
 * translated both ways. Its streams always carry usage, so the gateway can always log it.
 */
export class AnthropicAdapter implements ProviderAdapter {
  readonly type = 'anthropic' as const;
  /** The translated stream ends with a usage chunk when asked, as an OpenAI upstream's would. */
  readonly streamUsage = true;
  readonly healthPath = '/v1/models';
  readonly translator = ANTHROPIC_UPSTREAM;

  supports(endpoint: Endpoint): boolean {
    return endpoint === 'chat.completions';
  }

  pathFor(): string {
    return '/v1/messages';
  }

  readonly headersFor = upstreamHeaders({
    key: (apiKey) => ['x-api-key', apiKey],
    defaults: { 'anthropic-version': ANTHROPIC_VERSION },
  });
}
