import { gql } from 'apollo-angular';
import { ROUTING_TARGET_FIELDS, type RoutingTarget } from '../channels/channels.graphql';

/** How a route picks among its targets (the API's RouteStrategy enum). */
export const ROUTE_STRATEGIES = [
  'ROUND_ROBIN',
  'RANDOM',
  'WEIGHTED',
  'PRIORITY',
  'LEAST_LATENCY',
  'LEAST_BUSY',
] as const;
export type RouteStrategy = (typeof ROUTE_STRATEGIES)[number];

export interface RouteTarget {
  channelId: string;
  /** null when the channel no longer exists. */
  channelName: string | null;
  model: string;
  weight: number;
  priority: number;
  rpm: number | null;
  tpm: number | null;
}

export interface RouteRetry {
  attempts: number | null;
  backoffMs: number | null;
  maxBackoffMs: number | null;
  maxRetryAfterMs: number | null;
  retryOn: string[] | null;
}

export interface Route {
  name: string;
  aliases: string[];
  strategy: RouteStrategy;
  fallbacks: string[];
  captureBodies: boolean;
  retry: RouteRetry | null;
  targets: RouteTarget[];
}

export interface RouteTargetInput {
  channel: string;
  model?: string;
  weight: number;
  priority: number;
  rpm?: number;
  tpm?: number;
}

export interface RouteInput {
  name: string;
  aliases: string[];
  strategy: RouteStrategy;
  fallbacks: string[];
  captureBodies: boolean;
  retry: RouteRetry | null;
  targets: RouteTargetInput[];
}

const ROUTE_FIELDS = gql`
  fragment RouteFields on Route {
    name
    aliases
    strategy
    fallbacks
    captureBodies
    retry {
      attempts
      backoffMs
      maxBackoffMs
      maxRetryAfterMs
      retryOn
    }
    targets {
      channelId
      channelName
      model
      weight
      priority
      rpm
      tpm
    }
  }
`;

export const ROUTES = gql<{ routes: Route[] }, Record<string, never>>`
  query ConsoleRoutes {
    routes {
      ...RouteFields
    }
  }
  ${ROUTE_FIELDS}
`;

/** Channel names for the target select. */
export const ROUTE_CHANNELS = gql<
  { channels: { id: string; name: string; enabled: boolean; type: string }[] },
  Record<string, never>
>`
  query ConsoleRouteChannels {
    channels {
      id
      name
      enabled
      type
    }
  }
`;

export const ROUTE_TARGET_STATES = gql<{ routingTargets: RoutingTarget[] }, Record<string, never>>`
  query ConsoleRouteTargetStates {
    routingTargets {
      ...RoutingTargetFields
    }
  }
  ${ROUTING_TARGET_FIELDS}
`;

export const UPSERT_ROUTE = gql<{ upsertRoute: Route }, { input: RouteInput }>`
  mutation ConsoleUpsertRoute($input: RouteInput!) {
    upsertRoute(input: $input) {
      ...RouteFields
    }
  }
  ${ROUTE_FIELDS}
`;

export const DELETE_ROUTE = gql<{ deleteRoute: boolean }, { name: string }>`
  mutation ConsoleDeleteRoute($name: String!) {
    deleteRoute(name: $name)
  }
`;

export const SET_TARGET_DISABLED = gql<{ setRoutingTargetDisabled: RoutingTarget }, { id: string; disabled: boolean }>`
  mutation ConsoleSetRoutingTargetDisabled($id: String!, $disabled: Boolean!) {
    setRoutingTargetDisabled(id: $id, disabled: $disabled) {
      ...RoutingTargetFields
    }
  }
  ${ROUTING_TARGET_FIELDS}
`;
