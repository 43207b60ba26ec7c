import type { ProviderAdapter } from '../provider-adapter';
import type { Endpoint, UpstreamTarget } from '../upstream-target';
import { upstreamHeaders } from '../upstream-headers';
import { urlPart } from '../url-part';

/**
 * The first api-version that understands `stream_options` and `max_completion_tokens` (the
 * versions before it refuse both: "Unrecognized request argument supplied").
 */
const FIELDS_OF_2024_09 = '2024-09-01';

/** The GA api-version used when the channel's base URL does not carry `?api-version=`. */
export const AZURE_API_VERSION = '2024-10-21';

// Azure has no moderations operation (content filtering is built into its deployments).
const OPERATIONS: Partial<Record<Endpoint, string>> = {
  'chat.completions': '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
  'images.generations': '/images/generations',
  'audio.speech': '/audio/speech',
  'audio.transcriptions': '/audio/transcriptions',
  'audio.translations': '/audio/translations',
  'images.edits': '/images/edits',
};

/**
 * Azure OpenAI (base URL https://<resource>.openai.azure.com): the OpenAI wire format, so no
 * translator, but the model routed to is a deployment name in the path, every call carries an
 * `api-version` query parameter, and the key goes in an `api-key` header.
 */
export class AzureOpenAIAdapter implements ProviderAdapter {
  readonly type = 'azure' as const;
  /** `stream_options.include_usage` is understood since api-version 2024-09-01. */
  readonly streamUsage = true;

  /**
   * Older api-versions refuse the field ("Unrecognized request argument supplied: stream_options"),
   * which failed every streamed call; the versions are dates, so they compare as text.
   */
  streamUsageFor(target: UpstreamTarget): boolean {
    return this.apiVersion(target) >= FIELDS_OF_2024_09;
  }

  /** `max_completion_tokens` came with the same version; before it, a cap goes as `max_tokens`. */
  knowsMaxCompletionTokens(target: UpstreamTarget): boolean {
    return this.apiVersion(target) >= FIELDS_OF_2024_09;
  }
  readonly healthPath = `/openai/models?api-version=${AZURE_API_VERSION}`;

  supports(endpoint: Endpoint): boolean {
    return endpoint in OPERATIONS;
  }

  private readonly versions = new WeakMap<UpstreamTarget, string>();

  /** The models list at the channel's own api-version, as its calls use. */
  healthPathFor(target: UpstreamTarget): string {
    return `/openai/models?api-version=${encodeURIComponent(this.apiVersion(target))}`;
  }

  /** `/openai/deployments/<deployment>/<operation>?api-version=…`; the deployment is the upstream model name. */
  pathFor(endpoint: Endpoint, model = '', target?: UpstreamTarget): string {
    const version = target ? this.apiVersion(target) : AZURE_API_VERSION;
    return `/openai/deployments/${urlPart(model)}${OPERATIONS[endpoint]}?api-version=${encodeURIComponent(version)}`;
  }

  /** A channel overrides the version with `?api-version=` on its base URL (the query is not part of the base path). */
  apiVersion(target: UpstreamTarget): string {
    let version = this.versions.get(target);
    if (version === undefined) {
      version = new URL(target.baseUrl).searchParams.get('api-version') || AZURE_API_VERSION;
      this.versions.set(target, version);
    }
    return version;
  }

  readonly headersFor = upstreamHeaders({ key: (apiKey) => ['api-key', apiKey] });
}
