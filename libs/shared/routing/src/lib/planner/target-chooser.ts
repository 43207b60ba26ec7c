import type { ChannelConcurrency } from '../health/channel-concurrency';
import type { RateWindow } from '../health/rate-window';
import type { TargetHealth } from '../health/target-health';
import type { CompiledRoute } from '../table/compiled-route';
import type { CompiledTarget } from '../table/compiled-target';
import type { TriedTargets } from './tried-targets';

/**
 * Filters a route's targets down to those that may take a request now and lets the route's
 * strategy pick one; then books the pick. Shared by all plans of a planner: the candidate array is
 * reused, which is safe because picking is synchronous.
 */
export class TargetChooser {
  private readonly candidates: CompiledTarget[] = [];

  constructor(
    private readonly health: TargetHealth,
    private readonly requests: RateWindow,
    private readonly tokens: RateWindow | undefined,
    private readonly random: () => number,
    private readonly channels?: ChannelConcurrency,
  ) {}

  /**
   * The strategy's pick among available targets. Without `repeat`, targets tried already are left
   * out; with it they are allowed again, except those marked to skip. Books nothing.
   */
  pick(
    route: CompiledRoute,
    tried: TriedTargets | undefined,
    repeat: boolean,
    now: number,
  ): CompiledTarget | undefined {
    const targets = route.targets;
    const candidates = this.candidates;
    // Usually every target is healthy: then only rate limits and tried targets need a look.
    const checkHealth = this.health.impairedCount > 0;
    let count = 0;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i];
      if (tried !== undefined && (repeat ? tried.isSkipped(target.id) : tried.has(target.id))) continue;
      if (checkHealth && !this.health.isAvailable(target.id, now)) continue;
      if (!this.underLimits(target, now)) continue;
      candidates[count++] = target;
    }
    if (count === 0) return undefined;
    // Everything passed (the common case): hand over the route's own array, no copy needed.
    const offered = count === targets.length ? targets : this.trimmed(count);
    return route.strategy.pick(offered, this.health, this.random);
  }

  /** Books a picked target: half-open probe slot, request count, in-flight count. False if refused after all. */
  book(target: CompiledTarget, now: number): boolean {
    if (!this.health.acquire(target.id, now)) return false;
    if (target.rpm !== undefined) this.requests.add(target.id, 1, now);
    this.health.begin(target.id);
    // Given back by the gateway when the call ends (RoutingService.end), with the in-flight count.
    this.channels?.take(target.channelId);
    return true;
  }

  private underLimits(target: CompiledTarget, now: number): boolean {
    if (this.channels !== undefined && this.channels.full(target.channelId)) return false;
    if (target.rpm !== undefined && this.requests.remaining(target.id, target.rpm, now) < 1) return false;
    if (
      target.tpm !== undefined &&
      this.tokens !== undefined &&
      this.tokens.remaining(target.id, target.tpm, now) <= 0
    ) {
      return false;
    }
    return true;
  }

  private trimmed(count: number): CompiledTarget[] {
    this.candidates.length = count;
    return this.candidates;
  }
}
