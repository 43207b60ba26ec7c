import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers a browser caller may send: the SDKs' own, Anthropic's and Azure's key headers, Dify's. */
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-api-key',
  'api-key',
  'anthropic-version',
  'anthropic-beta',
  'anthropic-dangerous-direct-browser-access',
  'openai-organization',
  'openai-project',
  'openai-beta',
  'x-stainless-arch',
  'x-stainless-lang',
  'x-stainless-os',
  'x-stainless-package-version',
  'x-stainless-retry-count',
  'x-stainless-runtime',
  'x-stainless-runtime-version',
  'x-stainless-timeout',
  'x-stainless-helper-method',
].join(', ');

/** Answer headers a browser caller may read. */
const EXPOSED_HEADERS = [
  'x-request-id',
  'x-synapse-route',
  'x-synapse-model',
  'x-synapse-channel',
  'x-synapse-attempts',
  'retry-after',
  'x-should-retry',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
].join(', ');

/** How long a browser may keep a preflight's answer (the most Chromium honours). */
const PREFLIGHT_MAX_AGE_S = '7200';

/**
 * Cross-origin calls from browsers to the proxied API (`/v1/...`), for the origins in CORS_ORIGINS
 * (`*` for any). Keys travel in headers, never in cookies, so no credentials are allowed; the admin
 * API is left out: the console reaches it from its own origin. Only requests that carry `Origin`
 * reach this, so server-side callers pay nothing.
 */
export class CorsPolicy {
  private readonly anyOrigin: boolean;
  private readonly origins: ReadonlySet<string>;

  constructor(origins: readonly string[]) {
    this.anyOrigin = origins.includes('*');
    this.origins = new Set(origins.map((origin) => origin.toLowerCase()));
  }

  /** Adds the CORS headers to a browser's call, or answers its preflight; true when answered. */
  handle(req: IncomingMessage, res: ServerResponse, origin: string): boolean {
    if (!(req.url ?? '').startsWith('/v1/')) return false;
    const allowed = this.anyOrigin ? '*' : this.origins.has(origin.toLowerCase()) ? origin : undefined;
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      const headers: Record<string, string> = { vary: 'Origin', 'content-length': '0' };
      if (allowed) {
        headers['access-control-allow-origin'] = allowed;
        headers['access-control-allow-methods'] = 'GET, POST, DELETE, OPTIONS';
        headers['access-control-allow-headers'] = ALLOWED_HEADERS;
        headers['access-control-max-age'] = PREFLIGHT_MAX_AGE_S;
      }
      // Refused: an answer without the allow headers, which the browser reads as "no".
      res.writeHead(204, headers).end();
      return true;
    }
    if (allowed) {
      res.setHeader('access-control-allow-origin', allowed);
      res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    }
    res.setHeader('vary', 'Origin');
    return false;
  }
}
