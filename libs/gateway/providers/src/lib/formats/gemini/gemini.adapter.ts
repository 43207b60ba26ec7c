import type { ProviderAdapter } from '../../provider-adapter';
import type { Endpoint, UpstreamTarget } from '../../upstream-target';
import { upstreamHeaders } from '../../upstream-headers';
import type { UpstreamTranslator } from '../wire-format';
import { GEMINI_EMBEDDINGS } from './gemini-embeddings';
import { canonicalToGeminiRequest } from './gemini-request';
import { GeminiToCanonicalStream, geminiToCanonicalResponse } from './gemini-response';
import { urlPart } from '../../url-part';

export const GEMINI_UPSTREAM: UpstreamTranslator = {
  toNative: canonicalToGeminiRequest,
  fromNative: geminiToCanonicalResponse,
  streamTranscoder: (includeUsage) => new GeminiToCanonicalStream(includeUsage),
};

/**
 * The Gemini API (base URL https://generativelanguage.googleapis.com): generateContent and
 * streamGenerateContent (SSE), translated both ways, and batchEmbedContents for embeddings; the model is in the path, the key in
 * `x-goog-api-key`. Streams always carry usageMetadata.
 */
export class GeminiAdapter implements ProviderAdapter {
  readonly type = 'gemini' as const;
  readonly streamUsage = true;
  readonly healthPath = '/v1beta/models';
  readonly translator = GEMINI_UPSTREAM;
  readonly embeddings = GEMINI_EMBEDDINGS;

  supports(endpoint: Endpoint): boolean {
    return endpoint === 'chat.completions' || endpoint === 'embeddings';
  }

  pathFor(endpoint: Endpoint, model = '', _target?: UpstreamTarget, stream = false): string {
    const name = urlPart(model.replace(/^models\//, ''));
    if (endpoint === 'embeddings') return `/v1beta/models/${name}:batchEmbedContents`;
    return stream ? `/v1beta/models/${name}:streamGenerateContent?alt=sse` : `/v1beta/models/${name}:generateContent`;
  }

  /** Gemini's 429 says when to retry in the body: `details[].retryDelay` of a google.rpc.RetryInfo, e.g. "30s". */
  retryAfterFrom(errorBody: string): string | undefined {
    try {
      const error = (JSON.parse(errorBody) as { error?: { details?: { retryDelay?: unknown }[] } }).error;
      for (const detail of error?.details ?? []) {
        const delay = typeof detail?.retryDelay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(detail.retryDelay) : null;
        if (delay) return String(Math.ceil(Number(delay[1])));
      }
    } catch {
      /* not JSON: no delay */
    }
    return undefined;
  }

  readonly headersFor = upstreamHeaders({ key: (apiKey) => ['x-goog-api-key', apiKey] });
}
