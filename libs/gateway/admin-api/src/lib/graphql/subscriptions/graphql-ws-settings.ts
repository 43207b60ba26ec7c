import type { AddressMatcher } from '@synapse/gateway/config';

/** GraphQL subscriptions over WebSocket (graphql-ws) at `/graphql`: docs/monitoring.md#subscriptions. */
export interface GraphqlWsSettings {
  /** Open WebSocket connections per replica at most (GRAPHQL_WS_MAX_CONNECTIONS); 0: no subscriptions. */
  maxConnections: number;
  /** Time a new connection has to send its access token (connection_init) before it is closed. */
  authTimeoutMs: number;
  /** Reverse proxies whose X-Forwarded-For is believed, for the per-address rate limit. */
  trustedProxies: AddressMatcher;
}

export const DEFAULT_GRAPHQL_WS_SETTINGS: GraphqlWsSettings = {
  maxConnections: 200,
  authTimeoutMs: 5_000,
  trustedProxies: () => false,
};

export const GRAPHQL_WS_SETTINGS = Symbol('GRAPHQL_WS_SETTINGS');
