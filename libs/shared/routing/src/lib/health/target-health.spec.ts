import { TargetHealth } from './target-health';
import type { StateChange } from './target-state';

describe(TargetHealth.name, () => {
  let clock = 0;
  let changes: StateChange[];
  let health: TargetHealth;
  const id = 'c1/gpt-4o';
  const transitions = () => changes.map((c) => `${c.from}>${c.to}:${c.cause}`);

  beforeEach(() => {
    clock = 1_000_000;
    changes = [];
    health = new TargetHealth({ failureThreshold: 3, windowMs: 10_000, cooldownMs: 5_000, now: () => clock });
    health.onStateChange((change) => changes.push(change));
  });

  function fail(times: number, everyMs = 0): void {
    for (let i = 0; i < times; i++) {
      health.recordFailure(id);
      clock += everyMs;
    }
  }

  it('treats an unknown target as healthy, idle and unmeasured', () => {
    expect(health.state('new')).toBe('healthy');
    expect(health.acquire('new')).toBe(true);
    expect(health.inFlight('new')).toBe(0);
    expect(health.latencyMs('new')).toBeUndefined();
  });

  it('opens after the threshold of failures within the window, not before', () => {
    fail(2);
    expect(health.state(id)).toBe('healthy');
    fail(1);
    expect(health.state(id)).toBe('cooling_down');
    expect(changes).toEqual([
      { id, from: 'healthy', to: 'cooling_down', cause: 'failures', at: clock, cooldownUntil: clock + 5_000 },
    ]);
  });

  it('forgets failures older than the window', () => {
    fail(3, 6_000); // at 0 s, 6 s and 12 s: never three within 10 s
    expect(health.state(id)).toBe('healthy');
    expect(health.snapshot()[0].failures).toBe(1); // now 18 s: only the one at 12 s is recent
  });

  it('refuses during the cooldown, then lets exactly one half-open probe through', () => {
    fail(3);
    clock += 4_999;
    expect(health.isAvailable(id)).toBe(false);
    expect(health.acquire(id)).toBe(false);
    clock += 1;
    expect(health.isAvailable(id)).toBe(true);
    expect(health.acquire(id)).toBe(true);
    expect(health.state(id)).toBe('half_open');
    expect(health.isAvailable(id)).toBe(false);
    expect(health.acquire(id)).toBe(false);
    expect(transitions()).toEqual(['healthy>cooling_down:failures', 'cooling_down>half_open:cooldown_elapsed']);
  });

  it('closes when the probe succeeds, with a clean failure count', () => {
    fail(3);
    clock += 5_000;
    health.acquire(id);
    health.recordSuccess(id, 120);
    expect(health.state(id)).toBe('healthy');
    expect(health.acquire(id)).toBe(true);
    expect(health.acquire(id)).toBe(true);
    fail(2);
    expect(health.state(id)).toBe('healthy');
    expect(transitions()).toEqual([
      'healthy>cooling_down:failures',
      'cooling_down>half_open:cooldown_elapsed',
      'half_open>healthy:probe_succeeded',
    ]);
  });

  it('re-opens for another full cooldown when the probe fails', () => {
    fail(3);
    clock += 5_000;
    health.acquire(id);
    fail(1);
    expect(health.state(id)).toBe('cooling_down');
    expect(changes.at(-1)).toMatchObject({ cause: 'probe_failed', cooldownUntil: clock + 5_000 });
    clock += 4_999;
    expect(health.acquire(id)).toBe(false);
  });

  it('fires one event per transition, however often the state is read', () => {
    fail(5);
    clock += 5_000;
    for (let i = 0; i < 3; i++) {
      health.state(id);
      health.snapshot();
      health.acquire(id);
    }
    expect(changes).toHaveLength(2);
  });

  it('frees a lost probe slot on release, or after the probe timeout', () => {
    health = new TargetHealth({ failureThreshold: 1, cooldownMs: 1_000, probeTimeoutMs: 3_000, now: () => clock });
    health.recordFailure(id);
    clock += 1_000;
    expect(health.acquire(id)).toBe(true);
    health.release(id);
    expect(health.acquire(id)).toBe(true);
    clock += 2_999;
    expect(health.acquire(id)).toBe(false);
    clock += 1;
    expect(health.acquire(id)).toBe(true);
  });

  it('disables by hand and re-enables with a clean slate', () => {
    fail(2);
    health.setDisabled(id, true);
    health.setDisabled(id, true);
    expect(health.acquire(id)).toBe(false);
    fail(5);
    expect(health.state(id)).toBe('disabled');
    health.setDisabled(id, false);
    expect(health.acquire(id)).toBe(true);
    fail(2);
    expect(health.state(id)).toBe('healthy');
    expect(transitions()).toEqual(['healthy>disabled:manual', 'disabled>healthy:manual']);
  });

  it('applies a cooldown decided elsewhere, extending but never shortening one', () => {
    health.applyCooldown(id, clock + 8_000);
    expect(health.state(id)).toBe('cooling_down');
    health.applyCooldown(id, clock + 2_000);
    health.applyCooldown(id, clock - 1); // stale: ignored
    expect(health.snapshot()[0].cooldownUntil).toBe(clock + 8_000);
    health.applyCooldown(id, clock + 9_000, 'retry_after');
    expect(health.snapshot()[0].cooldownUntil).toBe(clock + 9_000);
    expect(changes).toEqual([
      { id, from: 'healthy', to: 'cooling_down', cause: 'remote', at: clock, cooldownUntil: clock + 8_000 },
    ]);
    health.setDisabled('other', true);
    health.applyCooldown('other', clock + 1_000);
    expect(health.state('other')).toBe('disabled');
  });

  it('keeps an EWMA of latencies with alpha 0.2', () => {
    health.recordSuccess(id, 100);
    expect(health.latencyMs(id)).toBe(100);
    health.recordSuccess(id, 200);
    expect(health.latencyMs(id)).toBeCloseTo(120);
    health.recordSuccess(id, Number.NaN);
    expect(health.latencyMs(id)).toBeCloseTo(120);
  });

  it('counts requests in flight, never below zero, and reports everything in a snapshot', () => {
    health.begin(id);
    health.begin(id);
    health.end(id);
    health.end(id);
    health.end(id);
    health.begin(id);
    health.recordSuccess(id, 50);
    health.recordFailure(id);
    expect(health.snapshot()).toEqual([
      { id, state: 'healthy', inFlight: 1, latencyMs: 50, failures: 1, cooldownUntil: undefined },
    ]);
  });

  it('forgets targets that are gone, and stops calling a listener after unsubscribing', () => {
    const seen: string[] = [];
    const unsubscribe = health.onStateChange((change) => seen.push(change.id));
    health.setDisabled('a', true);
    unsubscribe();
    health.setDisabled('b', true);
    health.retainOnly(['b']);
    expect(seen).toEqual(['a']);
    expect(health.snapshot().map((s) => s.id)).toEqual(['b']);
  });

  it('counts the targets that are not healthy', () => {
    fail(3);
    health.setDisabled('other', true);
    health.setDisabled('gone', true);
    expect(health.impairedCount).toBe(3);
    clock += 5_000;
    health.acquire(id); // cooling_down -> half_open: still impaired
    expect(health.impairedCount).toBe(3);
    health.recordSuccess(id, 10);
    health.setDisabled('other', false);
    health.retainOnly([id, 'other']);
    expect(health.impairedCount).toBe(0);
  });

  it('rejects nonsense options', () => {
    expect(() => new TargetHealth({ failureThreshold: 0 })).toThrow(/failureThreshold/);
    expect(() => new TargetHealth({ failureThreshold: 1.5 })).toThrow(/failureThreshold/);
    expect(() => new TargetHealth({ latencyAlpha: 0 })).toThrow(/latencyAlpha/);
  });
});

describe('TargetHealth in-flight counts shared between replicas', () => {
  it('adds the other replicas counts to its own and reports only its own for sharing', () => {
    const health = new TargetHealth();
    health.begin('a');
    health.begin('a');
    health.begin('b');
    health.end('b');
    expect(health.localInFlight()).toEqual(new Map([['a', 2]]));
    health.setRemoteInFlight(
      new Map([
        ['a', 3],
        ['c', 1],
      ]),
    );
    expect(health.inFlight('a')).toBe(5);
    expect(health.inFlight('c')).toBe(1);
    expect(health.localInFlight()).toEqual(new Map([['a', 2]]));
    health.setRemoteInFlight(new Map());
    expect(health.inFlight('a')).toBe(2);
  });
});
