import type { TargetState } from '@synapse/routing';

/** The last scheduled health check of a channel. */
export interface ChannelCheckView {
  at: Date;
  ok: boolean;
  latencyMs: number | null;
  /** A stable class such as `upstream_timeout` or `status_503`; null when ok. */
  error: string | null;
  /** Why, in words an operator acts on (a certificate, a proxy, the base URL's path); null when ok or not known. */
  detail: string | null;
}

/** One routing target (channel + upstream model) as operators see it. No secrets. */
export interface TargetStatusView {
  /** `${channelId}/${model}` */
  id: string;
  channelId: string;
  channelName: string;
  model: string;
  /** Public model names (routes) that use this target. */
  routes: string[];
  state: TargetState;
  inFlight: number;
  latencyMs: number | null;
  recentFailures: number;
  cooldownUntil: Date | null;
  lastCheck: ChannelCheckView | null;
}

/** A recorded change of a target's state. */
export interface TargetEventView {
  at: Date;
  targetId: string;
  channelId: string;
  from: TargetState;
  to: TargetState;
  /** What caused it: failures, probe, remote, retry_after, manual, health_check. */
  cause: string;
}

/**
 * What the admin API may read and change of routing. Implemented by the proxy's routing service;
 * the GraphQL resolvers depend only on this contract.
 */
export abstract class RoutingAdmin {
  abstract targets(): TargetStatusView[];
  abstract events(limit: number): Promise<TargetEventView[]>;
  /** Takes a target out of (or back into) rotation by hand, on every replica. */
  abstract setTargetDisabled(targetId: string, disabled: boolean): Promise<TargetStatusView>;
  /**
   * Tells every replica that stored routing (routes, channels, keys) changed, and returns once this
   * replica serves the new state, so that the caller's next request already sees its change.
   */
  abstract catalogChanged(): Promise<void>;
}

/** Checks one channel now, as the scheduled health check does, for the admin API's "test connection". */
export abstract class ChannelTester {
  /**
   * Asks the channel's upstream the adapter's cheap question with the channel's key, records the
   * verdict like a scheduled check, and returns it; null when this replica serves no such enabled
   * channel.
   */
  abstract test(channelId: string): Promise<ChannelCheckView | null>;
}
