import { gql } from 'apollo-angular';

/** The upstream API a channel speaks (the API's ChannelType enum). */
export const CHANNEL_TYPES = ['OPENAI', 'ANTHROPIC', 'AZURE', 'GEMINI', 'OLLAMA', 'DIFY'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** healthy, cooling down, half open (one probe may go) or disabled by hand. */
export type TargetState = 'HEALTHY' | 'COOLING_DOWN' | 'HALF_OPEN' | 'DISABLED';

export interface Channel {
  id: string;
  name: string;
  type: ChannelType;
  baseUrl: string;
  models: string[];
  enabled: boolean;
  /** '…abcd', never the key; null: no key. */
  apiKeyHint: string | null;
  headerNames: string[];
  /** Milliseconds; null: the gateway's default. */
  timeouts: ChannelTimeouts;
}

export interface ChannelTimeouts {
  connectMs?: number | null;
  firstByteMs?: number | null;
  totalMs?: number | null;
}

export interface ChannelCheck {
  at: string;
  ok: boolean;
  error: string | null;
  /** Why, in words (a certificate, a proxy, a base URL serving web pages); null when ok. */
  detail: string | null;
  latencyMs: number | null;
}

/** One routing target (channel + upstream model) and its state as the gateway reports it. */
export interface RoutingTarget {
  id: string;
  channelId: string;
  channelName: string;
  model: string;
  state: TargetState;
  cooldownUntil: string | null;
  recentFailures: number;
  inFlight: number;
  latencyMs: number | null;
  lastCheck: ChannelCheck | null;
  routes: string[];
}

export interface CreateChannelInput {
  name: string;
  type: ChannelType;
  baseUrl: string;
  models: string[];
  apiKey: string | null;
  enabled: boolean;
  /** Extra headers sent upstream; values are write-only. */
  headers?: { name: string; value: string }[];
  timeouts?: ChannelTimeouts;
}

/** `headers` replaces them all; `timeouts: null` restores the defaults. */
export type UpdateChannelInput = Partial<Omit<CreateChannelInput, 'timeouts'>> & { timeouts?: ChannelTimeouts | null };

const CHANNEL_FIELDS = gql`
  fragment ChannelFields on Channel {
    id
    name
    type
    baseUrl
    models
    enabled
    apiKeyHint
    headerNames
    timeouts {
      connectMs
      firstByteMs
      totalMs
    }
  }
`;

export const ROUTING_TARGET_FIELDS = gql`
  fragment RoutingTargetFields on RoutingTarget {
    id
    channelId
    channelName
    model
    state
    cooldownUntil
    recentFailures
    inFlight
    latencyMs
    lastCheck {
      at
      ok
      error
      detail
      latencyMs
    }
    routes
  }
`;

export const CHANNELS = gql<{ channels: Channel[] }, Record<string, never>>`
  query ConsoleChannels {
    channels {
      ...ChannelFields
    }
  }
  ${CHANNEL_FIELDS}
`;

export const ROUTING_TARGETS = gql<{ routingTargets: RoutingTarget[] }, Record<string, never>>`
  query ConsoleRoutingTargets {
    routingTargets {
      ...RoutingTargetFields
    }
  }
  ${ROUTING_TARGET_FIELDS}
`;

export const CREATE_CHANNEL = gql<{ createChannel: Channel }, { input: CreateChannelInput }>`
  mutation ConsoleCreateChannel($input: CreateChannelInput!) {
    createChannel(input: $input) {
      ...ChannelFields
    }
  }
  ${CHANNEL_FIELDS}
`;

export const UPDATE_CHANNEL = gql<{ updateChannel: Channel }, { id: string; input: UpdateChannelInput }>`
  mutation ConsoleUpdateChannel($id: ID!, $input: UpdateChannelInput!) {
    updateChannel(id: $id, input: $input) {
      ...ChannelFields
    }
  }
  ${CHANNEL_FIELDS}
`;

export const DELETE_CHANNEL = gql<{ deleteChannel: boolean }, { id: string }>`
  mutation ConsoleDeleteChannel($id: ID!) {
    deleteChannel(id: $id)
  }
`;

/** "Test connection": one health check of the channel now, with its stored key. */
export const TEST_CHANNEL = gql<{ testChannel: ChannelCheck }, { id: string }>`
  mutation ConsoleTestChannel($id: ID!) {
    testChannel(id: $id) {
      at
      ok
      latencyMs
      error
      detail
    }
  }
`;
