import { TargetHealth } from '../health/target-health';
import type { StateChange } from '../health/target-state';
import { mulberry32 } from '../random/mulberry32';
import type { AttemptFailure } from '../retry/attempt-failure';
import type { RouteDefinition } from '../table/route-definition';
import { RouteTable } from '../table/route-table';
import type { RoutePlan } from './route-plan';
import { RoutePlanner } from './route-planner';

const badGateway: AttemptFailure = { kind: 'status', status: 502 };
const targets = (...channels: string[]) => channels.map((channelId) => ({ channelId, model: 'm' }));

describe(RoutePlanner.name, () => {
  let clock: number;
  let health: TargetHealth;
  let planner: RoutePlanner;
  let changes: StateChange[];

  beforeEach(() => {
    clock = 1_000_000;
    changes = [];
    health = new TargetHealth({ failureThreshold: 3, cooldownMs: 10_000, now: () => clock });
    health.onStateChange((change) => changes.push(change));
    planner = new RoutePlanner({ health, random: mulberry32(30) });
  });

  function planFor(routes: RouteDefinition[], name = routes[0].name): RoutePlan {
    const route = RouteTable.compile(routes).resolve(name);
    if (route === undefined) throw new Error(`no route ${name}`);
    return planner.plan(route);
  }

  /** Runs a plan to its end, failing every attempt; returns the channels tried, in order. */
  function failAll(plan: RoutePlan, failure: AttemptFailure = badGateway): string[] {
    const tried: string[] = [];
    for (let target = plan.next(); target; target = plan.next()) {
      tried.push(target.channelId);
      plan.failed(failure);
      health.end(target.id);
    }
    return tried;
  }

  it('tries each target once, then the fallbacks in order, then stops', () => {
    const plan = planFor([
      { name: 'main', targets: targets('a', 'b', 'c'), fallbacks: ['backup', 'last'] },
      { name: 'backup', targets: targets('d'), retry: { attempts: 1 }, fallbacks: ['last'] },
      { name: 'last', targets: targets('e'), retry: { attempts: 1 } },
    ]);
    const tried = failAll(plan);
    expect(tried.slice(0, 3).sort()).toEqual(['a', 'b', 'c']); // each once, in the strategy's order
    expect(tried.slice(3)).toEqual(['d', 'e']);
    expect(plan.next()).toBeUndefined();
    expect(plan.attempts).toBe(5);
    expect(plan.served).toBeUndefined();
    expect(plan.lastFailure).toEqual(badGateway);
    expect(plan.route.name).toBe('last');
  });

  it('reports the route and target that served, counts the attempt in flight and records the latency', () => {
    const plan = planFor([
      { name: 'main', targets: targets('a'), retry: { attempts: 1 }, fallbacks: ['backup'] },
      { name: 'backup', targets: targets('b') },
    ]);
    const first = plan.next();
    plan.failed({ kind: 'connect' });
    const second = plan.next();
    expect(second?.channelId).toBe('b');
    expect(health.inFlight('b/m')).toBe(1);
    plan.succeeded(42);
    expect(plan.served?.route.name).toBe('backup');
    expect(plan.served?.target).toBe(second);
    expect(plan.attempts).toBe(2);
    expect(plan.next()).toBeUndefined();
    expect(health.latencyMs('b/m')).toBe(42);
    expect(first?.channelId).toBe('a');
  });

  it('stops at once on the caller’s own error, without blaming the target', () => {
    const plan = planFor([{ name: 'main', targets: targets('a', 'b') }]);
    expect(failAll(plan, { kind: 'status', status: 400 })).toEqual(['a']);
    expect(health.snapshot().find((s) => s.id === 'a/m')?.failures ?? 0).toBe(0);
  });

  it('stops once the stream has started, and on reasons the route does not retry', () => {
    expect(
      failAll(planFor([{ name: 'r', targets: targets('a', 'b') }]), { kind: 'timeout', streamStarted: true }),
    ).toEqual(['a']);
    const connectOnly = planFor([{ name: 'r', targets: targets('a', 'b'), retry: { retryOn: ['connect'] } }]);
    expect(failAll(connectOnly)).toEqual(['a']);
  });

  it('re-tries a lone target after a jittered exponential backoff, up to the attempts', () => {
    const plan = planFor([{ name: 'r', targets: targets('a'), retry: { attempts: 3, backoffMs: 100 } }]);
    const delays: number[] = [];
    for (let target = plan.next(); target; target = plan.next()) {
      delays.push(plan.delayMs);
      plan.failed(badGateway);
      health.end(target.id);
    }
    expect(delays).toHaveLength(3);
    expect(delays[0]).toBe(0);
    expect(delays[1]).toBeGreaterThanOrEqual(0);
    expect(delays[1]).toBeLessThan(100);
    expect(delays[2]).toBeLessThan(200);
  });

  it('moves to another target without waiting, and waits out a short Retry-After only to re-try the same one', () => {
    const plan = planFor([{ name: 'r', targets: targets('a', 'b'), retry: { attempts: 3 } }]);
    expect(plan.next()?.channelId).toBe('a');
    plan.failed({ kind: 'status', status: 429, retryAfterMs: 5_000 });
    expect(plan.next()?.channelId).toBe('b');
    expect(plan.delayMs).toBe(0);
    plan.failed({ kind: 'status', status: 429, retryAfterMs: 5_000 });
    clock += 1_000;
    plan.next();
    expect(plan.delayMs).toBeGreaterThanOrEqual(4_000);
    expect(plan.delayMs).toBeLessThanOrEqual(4_100);
  });

  it('skips a target whose Retry-After is over the cap and cools it down for everyone', () => {
    const plan = planFor([{ name: 'r', targets: targets('a', 'b'), retry: { attempts: 3, maxRetryAfterMs: 30_000 } }]);
    expect(plan.next()?.channelId).toBe('a');
    plan.failed({ kind: 'status', status: 429, retryAfterMs: 60_000 });
    expect(changes.at(-1)).toMatchObject({
      id: 'a/m',
      to: 'cooling_down',
      cause: 'retry_after',
      cooldownUntil: clock + 60_000,
    });
    expect(failAll(plan)).toEqual(['b', 'b']);
    expect(failAll(planFor([{ name: 'r', targets: targets('a', 'b') }]))).not.toContain('a');
  });

  it('leaves out targets that are cooling down, disabled or over their rpm; nothing available means no attempt', () => {
    health.setDisabled('a/m', true);
    health.applyCooldown('b/m', clock + 5_000);
    const routes = [{ name: 'r', targets: [...targets('a', 'b'), { channelId: 'c', model: 'm', rpm: 2 }] }];
    const served: string[] = [];
    for (let i = 0; i < 3; i++) {
      const plan = planFor(routes);
      const target = plan.next();
      if (target === undefined) {
        expect(plan.attempts).toBe(0);
        served.push('none');
        continue;
      }
      served.push(target.channelId);
      plan.succeeded(10);
      health.end(target.id);
    }
    expect(served).toEqual(['c', 'c', 'none']);
  });

  it('lets a single half-open probe through when several requests arrive after a cooldown', () => {
    const routes = [{ name: 'r', targets: targets('a') }];
    health.applyCooldown('a/m', clock + 1_000);
    expect(planFor(routes).next()).toBeUndefined();
    clock += 1_000;
    const probe = planFor(routes);
    expect(probe.next()?.channelId).toBe('a');
    expect(planFor(routes).next()).toBeUndefined();
    probe.succeeded(20);
    expect(planFor(routes).next()?.channelId).toBe('a');
  });

  describe('priority failover', () => {
    const table = RouteTable.compile([
      {
        name: 'r',
        strategy: 'priority',
        targets: [
          { channelId: 'backup', model: 'm', priority: 0 },
          { channelId: 'a', model: 'm', priority: 10 },
          { channelId: 'b', model: 'm', priority: 10 },
        ],
      },
    ]);
    const route = table.get('r');
    if (route === undefined) throw new Error('no route r');

    /** The channels that served 200 requests in a row. */
    const servedBy = (): Set<string> => {
      const seen = new Set<string>();
      for (let i = 0; i < 200; i++) {
        const plan = planner.plan(route);
        const target = plan.next();
        seen.add(target?.channelId ?? 'none');
        if (target === undefined) continue;
        plan.succeeded(10);
        health.end(target.id);
      }
      return seen;
    };

    it('uses the lower tier only while the whole top tier is cooling down', () => {
      expect(servedBy()).toEqual(new Set(['a', 'b']));
      health.applyCooldown('a/m', clock + 5_000);
      expect(servedBy()).toEqual(new Set(['b']));
      health.applyCooldown('b/m', clock + 5_000);
      expect(servedBy()).toEqual(new Set(['backup']));
      clock += 5_000; // cooldowns over: one probe each goes to the top tier again
      expect(servedBy()).toEqual(new Set(['a', 'b']));
    });

    it('moves to the next tier within a request once the top tier has failed', () => {
      const tried = failAll(planner.plan(route));
      expect(tried.slice(0, 2).sort()).toEqual(['a', 'b']);
      expect(tried[2]).toBe('backup');
    });
  });

  it('passes over a target that cannot serve the request: not blamed, not offered again, not an attempt', () => {
    const plan = planFor([{ name: 'r', targets: targets('a', 'b'), retry: { attempts: 3 } }]);
    const offered: string[] = [];
    for (let target = plan.next(); target; target = plan.next()) {
      offered.push(target.channelId);
      if (target.channelId === 'a') plan.passOver();
      else plan.failed(badGateway);
      health.end(target.id);
    }
    // b gets every attempt of the route (3), a none, and a is offered once.
    expect(offered.filter((c) => c === 'a')).toEqual(['a']);
    expect(offered.filter((c) => c === 'b')).toHaveLength(3);
    expect(plan.attempts).toBe(3);
    const a = health.snapshot().find((t) => t.id === 'a/m');
    expect(a?.failures ?? 0).toBe(0);
    expect(a?.inFlight ?? 0).toBe(0);
  });

  it('insists on an outcome before the next attempt', () => {
    const plan = planFor([{ name: 'r', targets: targets('a', 'b') }]);
    plan.next();
    expect(() => plan.next()).toThrow(/report the previous attempt/);
    expect(() => planFor([{ name: 'r', targets: targets('a') }]).succeeded(1)).toThrow(/no attempt in progress/);
  });
});
