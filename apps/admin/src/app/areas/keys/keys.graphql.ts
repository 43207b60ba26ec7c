import { gql } from 'apollo-angular';

/** Caps on traffic (keys, users and teams share the shape); a null field is not capped. */
export interface KeyLimits {
  rpm: number | null;
  tpm: number | null;
  concurrency: number | null;
  maxTokensPerCall: number | null;
  maxChoicesPerCall: number | null;
  dailyBudgetUsd: number | null;
  monthlyBudgetUsd: number | null;
}

export type KeyLimitsInput = Partial<KeyLimits>;

export interface Spend {
  todayUsd: number;
  monthUsd: number;
}

export interface GatewayKey {
  id: string;
  name: string;
  prefix: string;
  userId: string | null;
  teamId: string | null;
  models: string[];
  endpoints: string[] | null;
  ipAllow: string[] | null;
  enabled: boolean;
  captureBodies: boolean;
  expiresAt: string | null;
  revokedAt: string | null;
  previousValidUntil: string | null;
  createdAt: string;
  limits: KeyLimits | null;
  spend: Spend | null;
}

export interface GatewayKeySecret {
  secret: string;
  key: GatewayKey;
}

/** Who may own a key: the page offers the users and teams the account may read. */
export interface OwnerOption {
  id: string;
  label: string;
}

export interface CreateGatewayKeyInput {
  name: string;
  userId?: string | null;
  teamId?: string | null;
  models: string[];
  endpoints: string[] | null;
  ipAllow: string[] | null;
  expiresAt: string | null;
  enabled: boolean;
  captureBodies: boolean;
  limits: KeyLimitsInput | null;
}

export type UpdateGatewayKeyInput = Partial<CreateGatewayKeyInput>;

export const LIMITS_FIELDS = `
  rpm
  tpm
  concurrency
  maxTokensPerCall
  maxChoicesPerCall
  dailyBudgetUsd
  monthlyBudgetUsd
`;

const KEY_FIELDS = `
  id
  name
  prefix
  userId
  teamId
  models
  endpoints
  ipAllow
  enabled
  captureBodies
  expiresAt
  revokedAt
  previousValidUntil
  createdAt
  limits { ${LIMITS_FIELDS} }
  spend { todayUsd monthUsd }
`;

export const GATEWAY_KEYS = gql<{ gatewayKeys: GatewayKey[] }, Record<string, never>>`
  query GatewayKeys {
    gatewayKeys { ${KEY_FIELDS} }
  }
`;

/** The owners a key can be given to; each part is asked only when the account may read it. */
export const KEY_OWNERS_USERS = gql<
  { users: { id: string; email: string; name: string | null }[] },
  Record<string, never>
>`
  query KeyOwnerUsers {
    users {
      id
      email
      name
    }
  }
`;

export const KEY_OWNERS_TEAMS = gql<{ teams: { id: string; name: string }[] }, Record<string, never>>`
  query KeyOwnerTeams {
    teams {
      id
      name
    }
  }
`;

export const CREATE_GATEWAY_KEY = gql<{ createGatewayKey: GatewayKeySecret }, { input: CreateGatewayKeyInput }>`
  mutation CreateGatewayKey($input: CreateGatewayKeyInput!) {
    createGatewayKey(input: $input) { secret key { ${KEY_FIELDS} } }
  }
`;

export const UPDATE_GATEWAY_KEY = gql<{ updateGatewayKey: GatewayKey }, { id: string; input: UpdateGatewayKeyInput }>`
  mutation UpdateGatewayKey($id: ID!, $input: UpdateGatewayKeyInput!) {
    updateGatewayKey(id: $id, input: $input) { ${KEY_FIELDS} }
  }
`;

export const ROTATE_GATEWAY_KEY = gql<{ rotateGatewayKey: GatewayKeySecret }, { id: string; graceSeconds: number }>`
  mutation RotateGatewayKey($id: ID!, $graceSeconds: Int!) {
    rotateGatewayKey(id: $id, graceSeconds: $graceSeconds) { secret key { ${KEY_FIELDS} } }
  }
`;

export const REVOKE_GATEWAY_KEY = gql<{ revokeGatewayKey: GatewayKey }, { id: string }>`
  mutation RevokeGatewayKey($id: ID!) {
    revokeGatewayKey(id: $id) { ${KEY_FIELDS} }
  }
`;

export interface KeyUsageDay {
  bucketStart: string;
  requests: number;
  errors: number;
  totalTokens: number;
  costUsd: number;
}

/** A key's traffic per UTC day from the usage rollups (docs/usage-and-cost.md). */
export const KEY_USAGE = gql<{ usageSeries: KeyUsageDay[] }, { keyId: string; from: string; to: string }>`
  query KeyUsage($keyId: ID!, $from: DateTime!, $to: DateTime!) {
    usageSeries(filter: { keyId: $keyId }, granularity: DAY, range: { from: $from, to: $to }) {
      bucketStart
      requests
      errors
      totalTokens
      costUsd
    }
  }
`;
