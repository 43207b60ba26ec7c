import type { UpstreamTarget } from './upstream-target';

/**
 * How the gateway names itself to upstreams, unless a channel's headers say otherwise: without a
 * User-Agent some providers' firewalls (Cloudflare's bot rules, API resellers' WAFs) answer 403 pages.
 */
export const USER_AGENT = 'SynapseHub';

/** What a call asks back: a JSON answer or an SSE stream. */
export const JSON_OR_SSE = 'application/json, text/event-stream';

/** `Authorization: Bearer <key>`: OpenAI, and the APIs that send keys its way. */
export const bearerKey = (apiKey: string): [string, string] => ['authorization', `Bearer ${apiKey}`];

export interface UpstreamHeaderOptions {
  /** The header that carries the channel's key, as [name, value]. */
  key: (apiKey: string) => [name: string, value: string];
  /** The answers' types asked for (JSON_OR_SSE). */
  accept?: string;
  /** The provider's own headers, which a channel's headers may replace (Anthropic's version). */
  defaults?: Record<string, string>;
}

/**
 * A provider's `headersFor`: the channel's headers over the provider's defaults, a JSON body, the
 * answers' types, and the channel's key the provider's way. Built once per target (an edit of the
 * channel makes a new one) and only read afterwards: undici does not change them.
 */
export function upstreamHeaders(options: UpstreamHeaderOptions): (target: UpstreamTarget) => Record<string, string> {
  const built = new WeakMap<UpstreamTarget, Record<string, string>>();
  const accept = options.accept ?? JSON_OR_SSE;
  return (target) => {
    let headers = built.get(target);
    if (!headers) {
      headers = { ...options.defaults, ...target.headers, 'content-type': 'application/json', accept };
      // A channel's own User-Agent, in whatever case, is the only one sent.
      if (!Object.keys(headers).some((name) => name.toLowerCase() === 'user-agent')) headers['user-agent'] = USER_AGENT;
      if (target.apiKey) {
        const [name, value] = options.key(target.apiKey);
        headers[name] = value;
      }
      built.set(target, headers);
    }
    return headers;
  };
}
