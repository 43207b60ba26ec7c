import type { AddressMatcher } from '@synapse/gateway/config';

export interface ProxyHttpOptions {
  bodyLimit: number;
  /** Reverse proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES), as Fastify is told for the other routes. */
  trustedProxies: AddressMatcher;
}

export const PROXY_HTTP_OPTIONS = Symbol('PROXY_HTTP_OPTIONS');
