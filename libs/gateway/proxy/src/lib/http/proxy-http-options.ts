import type { AddressMatcher } from '@synapse/gateway/config';

export interface ProxyHttpOptions {
  bodyLimit: number;
  /** Reverse proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES), as Fastify is told for the other routes. */
  trustedProxies: AddressMatcher;
  /** Proxied calls in flight on this replica at most (MAX_IN_FLIGHT_CALLS); past it, 503 at once. 0: no cap. */
  maxInFlight?: number;
}

export const PROXY_HTTP_OPTIONS = Symbol('PROXY_HTTP_OPTIONS');
