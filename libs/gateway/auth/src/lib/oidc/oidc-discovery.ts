import type { OidcSettings } from '@synapse/gateway/config';
import type { KeyObject } from 'node:crypto';
import { selectKey, type Jwk, type JwsAlgorithmName } from './jws';
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
 * Concurrent sign-ins share one fetch.
 */
export class OidcDiscovery {
  private metadataCache?: Cached<ProviderMetadata>;
  private metadataFetch?: Promise<ProviderMetadata>;
  private keysCache?: Cached<Jwk[]>;
  private keysFetch?: Promise<Jwk[]>;

  constructor(private readonly settings: Pick<OidcSettings, 'issuer'>) {}

  async metadata(): Promise<ProviderMetadata> {
    if (this.metadataCache && Date.now() - this.metadataCache.at < CACHE_MS) return this.metadataCache.value;
    this.metadataFetch ??= this.fetchMetadata().finally(() => (this.metadataFetch = undefined));
    return this.metadataFetch;
  }

  /** The key for a token's header; the keys are fetched again once when the kid is new to us. */
  async key(kid: string | undefined, alg: JwsAlgorithmName): Promise<KeyObject | null> {
    const cached = this.keysCache;
    const fresh = cached && Date.now() - cached.at < CACHE_MS;
    const found = fresh ? selectKey(cached.value, kid, alg) : null;
    if (found || (fresh && Date.now() - cached.at < KEY_REFETCH_MS)) return found;
    this.keysFetch ??= this.fetchKeys().finally(() => (this.keysFetch = undefined));
    return selectKey(await this.keysFetch, kid, alg);
  }

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
    this.metadataCache = { value: metadata, at: Date.now() };
    return metadata;
  }

  private async fetchKeys(): Promise<Jwk[]> {
    const body = await fetchJson((await this.metadata()).jwks_uri, 'jwks');
    const keys = Array.isArray(body['keys']) ? (body['keys'] as Jwk[]) : [];
    this.keysCache = { value: keys, at: Date.now() };
    return keys;
  }
}
