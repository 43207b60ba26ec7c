import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * A forward proxy's URL (`http://proxy.example.com:3128`, `https://` for TLS to the proxy, with
 * `user:password@` when it asks for them). The message never repeats the value: it may hold a password.
 */
const proxyUrl = z
  .string()
  .refine((value) => URL.canParse(value), 'must be a URL such as http://proxy.example.com:3128')
  .refine(
    (value) => !URL.canParse(value) || ['http:', 'https:'].includes(new URL(value).protocol),
    'must start with http:// or https:// (a SOCKS proxy is not supported)',
  )
  .refine(
    (value) => !URL.canParse(value) || ['', '/'].includes(new URL(value).pathname + new URL(value).search),
    'must be the proxy itself, without a path or a query',
  );

/**
 * The proxy variables of curl, Go and Python, upper case winning over lower case as in Go (curl
 * reads only `http_proxy` in lower case; both are taken here).
 */
export const upstreamProxyEnvFields = {
  HTTPS_PROXY: proxyUrl.optional(),
  https_proxy: proxyUrl.optional(),
  HTTP_PROXY: proxyUrl.optional(),
  http_proxy: proxyUrl.optional(),
  NO_PROXY: z.string().optional(),
  no_proxy: z.string().optional(),
};

type ProxyEnv = { [K in keyof typeof upstreamProxyEnvFields]?: string };

/** One `NO_PROXY` entry: a host and the names below it, or one address; on one port when given. */
interface Bypass {
  host: string;
  port: string | undefined;
}

/**
 * Which forward proxy, if any, the gateway's own calls to a URL go through (upstream calls, health
 * checks, alert webhooks): `HTTPS_PROXY` for https URLs, `HTTP_PROXY` for http ones, none for the
 * hosts `NO_PROXY` lists. `NO_PROXY`, as curl reads it: comma-separated host names (each also
 * covering the names below it; a leading `.` or `*.` is the same), IP addresses, an optional
 * `:port`, or `*` for every host. Framework-free, like EgressPolicy.
 */
export class UpstreamProxies {
  private readonly bypassAll: boolean;
  private readonly bypasses: Bypass[];

  constructor(
    private readonly https: URL | undefined,
    private readonly http: URL | undefined,
    private readonly noProxy = '',
  ) {
    const entries = noProxy
      .split(/[\s,]+/)
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean);
    this.bypassAll = entries.includes('*');
    this.bypasses = entries.map(parseBypass);
  }

  static fromEnv(env: ProxyEnv): UpstreamProxies {
    const https = env.HTTPS_PROXY ?? env.https_proxy;
    const http = env.HTTP_PROXY ?? env.http_proxy;
    return new UpstreamProxies(
      https ? new URL(https) : undefined,
      http ? new URL(http) : undefined,
      env.NO_PROXY ?? env.no_proxy,
    );
  }

  /** Whether any proxy is set at all. */
  get any(): boolean {
    return this.https !== undefined || this.http !== undefined;
  }

  /** The proxy for calls to this origin (`https://api.openai.com`), or undefined to go direct. */
  for(origin: URL): URL | undefined {
    const proxy = origin.protocol === 'https:' ? this.https : origin.protocol === 'http:' ? this.http : undefined;
    if (!proxy || this.bypassAll) return undefined;
    const host = origin.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const port = origin.port || (origin.protocol === 'https:' ? '443' : '80');
    return this.bypasses.some((bypass) => bypasses(bypass, host, port)) ? undefined : proxy;
  }

  /** What the start's log says of the settings: the proxies' addresses without credentials, the bypass list. */
  describe(): string | undefined {
    if (!this.any) return undefined;
    const shown = (proxy: URL | undefined) => (proxy ? `${proxy.protocol}//${proxy.host}` : 'none (direct)');
    const bypass = this.bypassAll ? 'every host' : this.bypasses.length ? this.noProxy : 'none';
    return `https upstreams through ${shown(this.https)}, http ones through ${shown(this.http)}; NO_PROXY: ${bypass}`;
  }
}

function parseBypass(entry: string): Bypass {
  // [::1]:8080, [::1], ::1, host:443, host
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] };
  if (isIP(entry)) return { host: entry, port: undefined };
  const at = entry.lastIndexOf(':');
  const [host, port] =
    at > 0 && /^\d+$/.test(entry.slice(at + 1)) ? [entry.slice(0, at), entry.slice(at + 1)] : [entry];
  return { host: host.replace(/^\*?\./, ''), port };
}

function bypasses(bypass: Bypass, host: string, port: string): boolean {
  if (bypass.port !== undefined && bypass.port !== port) return false;
  if (host === bypass.host) return true;
  return !isIP(host) && host.endsWith(`.${bypass.host}`);
}
