/** A key that callers present on `/v1`. Only its SHA-256 hash and a short visible prefix are stored. */
export interface GatewayKey {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  /** Model names or glob patterns (`gpt-4o*`, `*`) the key may use. */
  models: string[];
  /** Endpoints the key may call (names of `@synapse/endpoints`); null: all. */
  endpoints: string[] | null;
  /** CIDR blocks the caller's address must be in; null: any address. */
  ipAllow: string[] | null;
  /** Caps on this key's traffic; null: none. */
  limits: KeyLimits | null;
  enabled: boolean;
  expiresAt: Date | null;
  /** The hash of the secret before the last rotation, still accepted until `previousValidUntil`. */
  previousHash: string | null;
  previousValidUntil: Date | null;
  /** Set once, when the key is revoked; a revoked key never authenticates again. */
  revokedAt: Date | null;
  /** The owning user, or the owning team: a key belongs to at most one of them. */
  userId: string | null;
  teamId: string | null;
  /** Whether the request and response bodies of its calls are stored (redacted, capped); absent: no. */
  captureBodies?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Caps on a key's (or a user's) traffic. Requests and tokens are counted per minute; concurrency is
 * requests in flight; budgets are USD spent per UTC day and UTC calendar month, from model prices.
 */
export interface KeyLimits {
  rpm?: number;
  tpm?: number;
  concurrency?: number;
  dailyBudgetUsd?: number;
  monthlyBudgetUsd?: number;
  /** Output tokens one call may ask for (per choice); a call that asks for none is given this. */
  maxTokensPerCall?: number;
  /** Choices one call may ask for (`n`, `best_of`). */
  maxChoicesPerCall?: number;
}
