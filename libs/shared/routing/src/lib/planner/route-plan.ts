import type { TargetHealth } from '../health/target-health';
import { failureReason, type AttemptFailure } from '../retry/attempt-failure';
import { backoffDelay } from '../retry/backoff-delay';
import { isRetryable } from '../retry/should-retry';
import type { CompiledRoute } from '../table/compiled-route';
import type { CompiledTarget } from '../table/compiled-target';
import type { TargetChooser } from './target-chooser';
import { TriedTargets } from './tried-targets';

export interface ServedBy {
  route: CompiledRoute;
  target: CompiledTarget;
}

/**
 * Drives one request over a route and its fallbacks; the gateway does the I/O and the sleeping.
 *
 *   for (let target = plan.next(); target; target = plan.next()) {
 *     await sleep(plan.delayMs);                         // 0 unless re-trying a target
 *     try { ...send...; plan.succeeded(msToHeaders); ...relay... }
 *     catch (e) { plan.failed(toAttemptFailure(e)); }
 *     finally { health.end(target.id); }                // next() counted it in flight
 *   }
 *
 * Order: each route in `route.chain` (the route, then its fallbacks depth-first) gets
 * `retry.attempts` tries. A try first goes to a target not tried yet in this request, chosen by the
 * route's strategy among available ones, with no wait. When every available target was tried and
 * tries remain, the strategy chooses again among them after a backoff (at least the target's
 * Retry-After). A failure that is not retryable (caller's fault, stream started, not in retryOn)
 * ends the plan.
 */
export class RoutePlan {
  private current: CompiledTarget | undefined;
  private currentRoute: CompiledRoute;
  private chainIndex = 0;
  private routeAttempts = 0;
  private totalAttempts = 0;
  private delay = 0;
  private stopped = false;
  private tried: TriedTargets | undefined;
  private servedBy: ServedBy | undefined;
  private failure: AttemptFailure | undefined;

  constructor(
    readonly root: CompiledRoute,
    private readonly chooser: TargetChooser,
    private readonly health: TargetHealth,
    private readonly random: () => number,
  ) {
    this.currentRoute = root;
  }

  /** Attempts handed out so far, over all routes. 0 after next() returned undefined: nothing was available. */
  get attempts(): number {
    return this.totalAttempts;
  }

  /** How long to wait before sending the attempt next() just returned. */
  get delayMs(): number {
    return this.delay;
  }

  /** The route of the latest attempt (the root or one of its fallbacks). */
  get route(): CompiledRoute {
    return this.currentRoute;
  }

  get served(): ServedBy | undefined {
    return this.servedBy;
  }

  get lastFailure(): AttemptFailure | undefined {
    return this.failure;
  }

  /**
   * The next target to try, already booked (half-open probe, rpm, in flight); undefined when the
   * plan is over. Report the outcome with succeeded() or failed() before asking again.
   */
  next(): CompiledTarget | undefined {
    if (this.current !== undefined) throw new Error('RoutePlan.next(): report the previous attempt first');
    if (this.stopped || this.servedBy !== undefined) return undefined;
    const now = this.health.now();
    const chain = this.root.chain;
    while (this.chainIndex < chain.length) {
      const route = chain[this.chainIndex];
      if (this.routeAttempts < route.retry.attempts) {
        const fresh = this.chooser.pick(route, this.tried, false, now);
        if (fresh !== undefined) {
          if (this.chooser.book(fresh, now)) return this.hand(route, fresh, 0);
          this.skip(fresh);
          continue;
        }
        const again = this.tried === undefined ? undefined : this.chooser.pick(route, this.tried, true, now);
        if (again !== undefined) {
          const retryAfterMs = this.tried?.retryAfterAt(again.id, now);
          const backoff = backoffDelay(this.routeAttempts, route.retry, this.random, retryAfterMs);
          if (backoff.action === 'wait' && this.chooser.book(again, now)) {
            return this.hand(route, again, backoff.delayMs);
          }
          this.skip(again);
          continue;
        }
      }
      this.chainIndex++;
      this.routeAttempts = 0;
    }
    return undefined;
  }

  /** `latencyMs`: preferably time to the response headers. */
  succeeded(latencyMs: number): void {
    const target = this.settle();
    this.health.recordSuccess(target.id, latencyMs);
    this.servedBy = { route: this.currentRoute, target };
  }

  /** Records the failure against the target when it is the target's fault; false when the plan is over. */
  failed(failure: AttemptFailure): boolean {
    const target = this.settle();
    this.failure = failure;
    const policy = this.currentRoute.retry;
    const now = this.health.now();
    const retryAfterMs = failure.kind === 'status' ? failure.retryAfterMs : undefined;
    let retryAt = retryAfterMs === undefined ? undefined : now + retryAfterMs;
    let skip = false;
    if (failureReason(failure) === undefined) {
      // The request's own fault says nothing about the target; just free a half-open probe slot.
      this.health.release(target.id);
    } else {
      this.health.recordFailure(target.id);
      if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) {
        // Too long to sleep on: every request should leave the target alone until then.
        this.health.applyCooldown(target.id, now + retryAfterMs, 'retry_after');
        retryAt = undefined;
        skip = true;
      }
    }
    (this.tried ??= new TriedTargets()).add(target.id, retryAt, skip);
    if (!isRetryable(failure, policy)) this.stopped = true;
    return !this.stopped;
  }

  /**
   * Gives back the target next() just handed out, unused: it cannot serve this request (its
   * channel does not offer the API called). Nothing is recorded against it, it is not offered again
   * in this request, and it does not count as an attempt.
   */
  passOver(): void {
    const target = this.settle();
    this.health.release(target.id);
    this.routeAttempts--;
    this.totalAttempts--;
    this.skip(target);
  }

  private hand(route: CompiledRoute, target: CompiledTarget, delayMs: number): CompiledTarget {
    this.current = target;
    this.currentRoute = route;
    this.delay = delayMs;
    this.routeAttempts++;
    this.totalAttempts++;
    return target;
  }

  /** Leaves a target out for the rest of the request without counting an attempt. */
  private skip(target: CompiledTarget): void {
    (this.tried ??= new TriedTargets()).add(target.id, undefined, true);
  }

  private settle(): CompiledTarget {
    const target = this.current;
    if (target === undefined) throw new Error('RoutePlan: no attempt in progress');
    this.current = undefined;
    return target;
  }
}
