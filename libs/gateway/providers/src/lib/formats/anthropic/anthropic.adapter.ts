import type { ProviderAdapter } from '../../provider-adapter';
import type { Endpoint, UpstreamTarget } from '../../upstream-target';
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

  private readonly headers = new WeakMap<UpstreamTarget, Record<string, string>>();

  headersFor(target: UpstreamTarget): Record<string, string> {
    const cached = this.headers.get(target);
    if (cached) return cached;
    const headers: Record<string, string> = {
      'anthropic-version': ANTHROPIC_VERSION,
      ...target.headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    if (target.apiKey) headers['x-api-key'] = target.apiKey;
    this.headers.set(target, headers);
    return headers;
  }
}
