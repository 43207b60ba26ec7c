import type { OidcSettings } from '@synapse/gateway/config';
import { createLocalJWKSet, type JWK, type JWTVerifyGetKey } from 'jose';
import { OidcFailure } from './oidc-failure';

/** The parts of `/.well-known/openid-configuration` the gateway uses. */
export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  token_endpoint_auth_methods_supported?: string[];
}

/** Metadata and keys are fetched again after this long, so that a withdrawn key stops being trusted. */
const CACHE_MS = 60 * 60 * 1000;
/** A token naming an unknown key refetches the keys (rotation), but not more often than this. */
const KEY_REFETCH_MS = 30 * 1000;
const TIMEOUT_MS = 10_000;

/** GETs JSON from the provider; any failure is `provider_unavailable` with what went wrong for the log. */
export async function fetchJson(url: string, what: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
  } catch (error) {
    throw new OidcFailure('provider_unavailable', `${what}: ${(error as Error).message}`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok || typeof body !== 'object' || body === null) {
    throw new OidcFailure('provider_unavailable', `${what} answered ${response.status}`);
  }
  return body as Record<string, unknown>;
}

interface Cached<T> {
  value: T;
  at: number;
}

/**
 * The provider's metadata and signing keys, fetched on first use (nothing at boot) and cached.
 * Concurrent sign-ins share one fetch. The keys are fetched here rather than by jose's
 * `createRemoteJWKSet`, so that they go through the same `fetch` as discovery (timeout, no
 * redirects, failures reported as `provider_unavailable`) and follow the same cache rules.
 */
export class OidcDiscovery {
  private metadataCache?: Cached<ProviderMetadata>;
  private metadataFetch?: Promise<ProviderMetadata>;
  private keysCache?: Cached<JWTVerifyGetKey>;
  private keysFetch?: Promise<JWTVerifyGetKey>;

  constructor(
    private readonly settings: Pick<OidcSettings, 'issuer'>,
    /** Epoch milliseconds; a parameter so that a test can age the caches. */
    private readonly clock: () => number = Date.now,
  ) {}

  async metadata(): Promise<ProviderMetadata> {
    if (this.metadataCache && this.clock() - this.metadataCache.at < CACHE_MS) return this.metadataCache.value;
    this.metadataFetch ??= this.fetchMetadata().finally(() => (this.metadataFetch = undefined));
    return this.metadataFetch;
  }

  /**
   * jose's key lookup for a token's header (`alg`, `kid`): a signing key of the algorithm's type and
   * curve, naming the same algorithm if it names one, unambiguous without a kid. When no key fits,
   * the keys are fetched again once (rotation), unless they were fetched less than 30 seconds ago.
   */
  readonly keyFor: JWTVerifyGetKey = async (header, token) => {
    const cached = this.keysCache;
    const age = cached ? this.clock() - cached.at : Infinity;
    if (cached && age < CACHE_MS) {
      try {
        return await cached.value(header, token);
      } catch (error) {
        if (age < KEY_REFETCH_MS) throw error;
      }
    }
    this.keysFetch ??= this.fetchKeys().finally(() => (this.keysFetch = undefined));
    return (await this.keysFetch)(header, token);
  };

  private async fetchMetadata(): Promise<ProviderMetadata> {
    const url = `${this.settings.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const body = await fetchJson(url, 'discovery');
    const missing = ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'].filter(
      (field) => typeof body[field] !== 'string',
    );
    if (missing.length) throw new OidcFailure('provider_unavailable', `discovery lacks ${missing.join(', ')}`);
    // The issuer in the metadata is the one ID tokens must carry; it must be the one configured (§4.3).
    if (String(body['issuer']).replace(/\/+$/, '') !== this.settings.issuer.replace(/\/+$/, '')) {
      throw new OidcFailure('provider_unavailable', `discovery names issuer ${String(body['issuer'])}`);
    }
    const metadata = body as unknown as ProviderMetadata;
    this.metadataCache = { value: metadata, at: this.clock() };
    return metadata;
  }

  private async fetchKeys(): Promise<JWTVerifyGetKey> {
    const body = await fetchJson((await this.metadata()).jwks_uri, 'jwks');
    const listed: unknown[] = Array.isArray(body['keys']) ? body['keys'] : [];
    // One malformed entry must not make the others unusable.
    const keys = listed.filter((key): key is JWK => typeof key === 'object' && key !== null && !Array.isArray(key));
    const lookup = createLocalJWKSet({ keys });
    this.keysCache = { value: lookup, at: this.clock() };
    return lookup;
  }
}
