import type { ProviderAdapter } from './provider-adapter';
import type { Endpoint, UpstreamTarget } from './upstream-target';

const PATHS: Record<Endpoint, string> = {
  'chat.completions': '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
};

/** OpenAI itself and every server that speaks its API (vLLM, Ollama, LiteLLM, LocalAI, ...). */
export class OpenAICompatibleAdapter implements ProviderAdapter {
  readonly type = 'openai' as const;
  readonly streamUsage = true;
  readonly healthPath = '/models';

  supports(endpoint: Endpoint): boolean {
    return endpoint in PATHS;
  }

  pathFor(endpoint: Endpoint): string {
    return PATHS[endpoint];
  }

  private readonly headers = new WeakMap<UpstreamTarget, Record<string, string>>();

  /** Built once per target; undici only reads them. */
  headersFor(target: UpstreamTarget): Record<string, string> {
    const cached = this.headers.get(target);
    if (cached) return cached;
    const headers: Record<string, string> = {
      ...target.headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    if (target.apiKey) headers['authorization'] = `Bearer ${target.apiKey}`;
    this.headers.set(target, headers);
    return headers;
  }
}
