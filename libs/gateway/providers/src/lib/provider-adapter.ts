import type { ChannelType } from '@synapse/gateway/config';
import type { EmbeddingsTranslator, UpstreamTranslator } from './formats/wire-format';
import type { Endpoint, UpstreamTarget } from './upstream-target';

/**
 * How the gateway talks to one kind of upstream. New providers implement this and register in
 * the ProviderRegistry; nothing else in the request pipeline needs to know about them.
 */
export interface ProviderAdapter {
  readonly type: ChannelType;
  supports(endpoint: Endpoint): boolean;
  /**
   * Path (and query) below the channel's base URL. `model` is the upstream model name, for APIs
   * that put it in the path (Azure deployments, Gemini); `stream` for APIs whose streaming call
   * has its own path (Gemini). Most adapters ignore all three.
   */
  pathFor(endpoint: Endpoint, model?: string, target?: UpstreamTarget, stream?: boolean): string;
  headersFor(target: UpstreamTarget): Record<string, string>;
  /** A cheap authenticated GET that tells whether the upstream answers, for health checks. */
  readonly healthPath: string;
  /** The health check's path for one channel, where it depends on the channel (Azure's api-version); else `healthPath`. */
  healthPathFor?(target: UpstreamTarget): string;
  /** Whether the upstream understands `stream_options.include_usage`. */
  readonly streamUsage: boolean;
  /** Whether one channel does, where that depends on the channel (Azure's api-version); else `streamUsage`. */
  streamUsageFor?(target: UpstreamTarget): boolean;
  /** Whether one channel knows `max_completion_tokens`, where that depends on the channel (Azure's api-version). */
  knowsMaxCompletionTokens?(target: UpstreamTarget): boolean;
  /** A retry delay (seconds, as `retry-after` would say) from an error body, for APIs that send none in headers (Gemini's RetryInfo). */
  retryAfterFrom?(errorBody: string): string | undefined;
  /**
   * Its 404s are about the caller's own records (Dify's conversations), never the model or path the
   * operator set: passed on as the caller's. Elsewhere a 404 for a model the operator named is the target's.
   */
  readonly notFoundIsCallers?: boolean;
  /** A native API's translator (docs/adr/0007-wire-formats.md); absent for OpenAI-compatible upstreams. */
  readonly translator?: UpstreamTranslator;
  /** A native embeddings API's translator (Gemini, Ollama); absent where `/embeddings` is OpenAI's. */
  readonly embeddings?: EmbeddingsTranslator;
}

export class ProviderRegistry {
  private readonly adapters = new Map<ChannelType, ProviderAdapter>();

  constructor(adapters: readonly ProviderAdapter[]) {
    for (const adapter of adapters) this.adapters.set(adapter.type, adapter);
  }

  get(type: ChannelType): ProviderAdapter {
    const adapter = this.adapters.get(type);
    if (!adapter) throw new Error(`no provider adapter for channel type '${type}'`);
    return adapter;
  }
}
