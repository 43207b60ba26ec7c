/** A key that callers present on `/v1`. Only its SHA-256 hash and a short visible prefix are stored. */
export interface GatewayKey {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  /** Model names or glob patterns (`gpt-4o*`, `*`) the key may use. */
  models: string[];
  enabled: boolean;
  expiresAt: Date | null;
  userId: string | null;
  createdAt: Date;
  updatedAt: Date;
}
