import { DEFAULT_DOCUMENT_LIMITS, type DocumentLimits } from '../limits/document-limits';

/** What a request to `/graphql` may send and how often, all checked before Apollo runs anything. */
export interface GraphqlGateSettings {
  /** Largest body (for GET, the URL) of a request with a valid access token: GRAPHQL_MAX_BODY_BYTES. */
  maxBodyBytes: number;
  /** Largest body (for GET, the URL) of a request without one: GRAPHQL_MAX_UNAUTHENTICATED_BYTES. */
  maxUnauthenticatedBytes: number;
  /** Limits of the GraphQL document itself: GRAPHQL_MAX_TOKENS, _ALIASES, _DEPTH, _COST. */
  limits: DocumentLimits;
  /** Requests per minute per client address, refused ones included; 0: no limit. ADMIN_RATE_LIMIT_PER_MINUTE. */
  requestsPerMinute: number;
}

export const DEFAULT_GRAPHQL_GATE_SETTINGS: GraphqlGateSettings = {
  // The largest operation of the schema is 1.5 kB; variables (a channel's models) add some.
  maxBodyBytes: 64 * 1024,
  // Enough for any operation with an expired token to be told so; nothing runs without a token.
  maxUnauthenticatedBytes: 2 * 1024,
  limits: DEFAULT_DOCUMENT_LIMITS,
  requestsPerMinute: 600,
};
