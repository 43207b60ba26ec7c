import type { ChannelConcurrency } from '../health/channel-concurrency';
import { RateWindow } from '../health/rate-window';
import type { TargetHealth } from '../health/target-health';
import type { CompiledRoute } from '../table/compiled-route';
import { RoutePlan } from './route-plan';
import { TargetChooser } from './target-chooser';

export interface RoutePlannerOptions {
  health: TargetHealth;
  /** Counts requests for targets with `rpm`. Default: a private per-minute window. */
  requests?: RateWindow;
  /** Token usage for targets with `tpm`; the gateway adds each response's tokens. Without it tpm is not enforced. */
  tokens?: RateWindow;
  /** Default Math.random; inject a seeded one (mulberry32) in tests. */
  random?: () => number;
  /** Caps calls in flight per channel; the caller releases each booked target's channel when its call ends. */
  channels?: ChannelConcurrency;
}

/** Long-lived (one per replica, survives table rebuilds): hands out one RoutePlan per request. */
export class RoutePlanner {
  private readonly health: TargetHealth;
  private readonly random: () => number;
  private readonly chooser: TargetChooser;

  constructor(options: RoutePlannerOptions) {
    this.health = options.health;
    this.random = options.random ?? Math.random;
    this.chooser = new TargetChooser(
      this.health,
      options.requests ?? new RateWindow(60_000),
      options.tokens,
      this.random,
      options.channels,
    );
  }

  plan(route: CompiledRoute): RoutePlan {
    return new RoutePlan(route, this.chooser, this.health, this.random);
  }
}
