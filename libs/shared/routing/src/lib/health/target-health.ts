import type { TargetStats } from '../strategies/target-strategy';
import { FailureWindow } from './failure-window';
import type { StateChange, TargetSnapshot, TargetState, TransitionCause } from './target-state';

export interface TargetHealthOptions {
  /** Failures within `windowMs` that open the circuit. Default 5. */
  failureThreshold?: number;
  /** Default 60 s. */
  windowMs?: number;
  /** How long an open circuit refuses traffic before a probe. Default 30 s. */
  cooldownMs?: number;
  /** A half-open probe without an outcome after this long is presumed lost: another may go. Default 60 s. */
  probeTimeoutMs?: number;
  /**
   * Weight of the newest sample in the latency EWMA. Default 0.2: a sample's weight halves about
   * every 3 samples, so latency follows a change within ~10 requests without jumping on one outlier.
   */
  latencyAlpha?: number;
  now?: () => number;
}

export type StateChangeListener = (change: StateChange) => void;

interface TargetRecord {
  state: TargetState;
  inFlight: number;
  latencyMs: number | undefined;
  cooldownUntil: number;
  /** When the half-open probe was let through; undefined while none is out. */
  probeSince: number | undefined;
  readonly failures: FailureWindow;
}

/**
 * Per-target circuit breaker and load statistics, in memory, for one gateway replica. Targets are
 * keyed by CompiledTarget.id and need no registration: an unknown target is healthy and idle.
 * Cooldowns end lazily, with no timers: cooling_down becomes half_open (and the change is announced)
 * on the first acquire, state or snapshot after `cooldownUntil`.
 */
export class TargetHealth implements TargetStats {
  private readonly records = new Map<string, TargetRecord>();
  private readonly listeners: StateChangeListener[] = [];
  private readonly failureThreshold: number;
  private readonly windowMs: number;
  private readonly cooldownMs: number;
  private readonly probeTimeoutMs: number;
  private readonly latencyAlpha: number;
  private readonly clock: () => number;
  private impaired = 0;
  private remoteInFlight: ReadonlyMap<string, number> = new Map();

  constructor(options: TargetHealthOptions = {}) {
    this.failureThreshold = positive('failureThreshold', options.failureThreshold ?? 5);
    this.windowMs = positive('windowMs', options.windowMs ?? 60_000);
    this.cooldownMs = positive('cooldownMs', options.cooldownMs ?? 30_000);
    this.probeTimeoutMs = positive('probeTimeoutMs', options.probeTimeoutMs ?? 60_000);
    this.latencyAlpha = options.latencyAlpha ?? 0.2;
    if (!(this.latencyAlpha > 0 && this.latencyAlpha <= 1)) throw new RangeError('latencyAlpha must be in (0, 1]');
    if (!Number.isInteger(this.failureThreshold)) throw new RangeError('failureThreshold must be an integer');
    this.clock = options.now ?? Date.now;
  }

  /** The injected clock; the planner reads it once per decision and passes it on. */
  now(): number {
    return this.clock();
  }

  /** Targets not healthy (cooling down, half-open or disabled). At 0 the planner skips per-target checks. */
  get impairedCount(): number {
    return this.impaired;
  }

  /** Whether a request could go to the target now; changes nothing (the hot-path filter). */
  isAvailable(id: string, now = this.clock()): boolean {
    const record = this.records.get(id);
    if (record === undefined) return true;
    switch (record.state) {
      case 'healthy':
        return true;
      case 'disabled':
        return false;
      case 'cooling_down':
        return now >= record.cooldownUntil;
      case 'half_open':
        return !this.probeOut(record, now);
    }
  }

  /**
   * Whether a request may go to the target now. In half_open this lets exactly one probe through
   * and refuses the rest until the probe's outcome is recorded (or it is released or times out).
   */
  acquire(id: string, now = this.clock()): boolean {
    const record = this.records.get(id);
    if (record === undefined) return true;
    this.endCooldownIfDue(id, record, now);
    switch (record.state) {
      case 'healthy':
        return true;
      case 'disabled':
      case 'cooling_down':
        return false;
      case 'half_open':
        if (this.probeOut(record, now)) return false;
        record.probeSince = now;
        return true;
    }
  }

  /** The attempt ended without a verdict on the target (e.g. the caller went away): frees the probe slot. */
  release(id: string): void {
    const record = this.records.get(id);
    if (record !== undefined) record.probeSince = undefined;
  }

  begin(id: string): void {
    this.record(id).inFlight++;
  }

  end(id: string): void {
    const record = this.records.get(id);
    if (record !== undefined && record.inFlight > 0) record.inFlight--;
  }

  /** `latencyMs`: preferably time to the response headers, which does not grow with the answer's length. */
  recordSuccess(id: string, latencyMs: number): void {
    const record = this.record(id);
    if (latencyMs >= 0 && Number.isFinite(latencyMs)) {
      record.latencyMs =
        record.latencyMs === undefined
          ? latencyMs
          : record.latencyMs + this.latencyAlpha * (latencyMs - record.latencyMs);
    }
    record.probeSince = undefined;
    // A late success while cooling down (sent before the circuit opened) proves little: wait for the probe.
    if (record.state === 'half_open') {
      record.failures.clear();
      this.transition(id, record, 'healthy', 'probe_succeeded', this.clock());
    }
  }

  /** A failure that is the target's fault (see failureReason). */
  recordFailure(id: string): void {
    const record = this.record(id);
    const now = this.clock();
    record.probeSince = undefined;
    if (record.state === 'half_open') this.open(id, record, now + this.cooldownMs, 'probe_failed', now);
    else if (record.state === 'healthy' && record.failures.add(now, this.windowMs)) {
      this.open(id, record, now + this.cooldownMs, 'failures', now);
    }
  }

  /** Takes the target out of rotation by hand, or puts it back healthy with a clean slate. */
  setDisabled(id: string, disabled: boolean): void {
    const record = this.record(id);
    if (disabled === (record.state === 'disabled')) return;
    record.failures.clear();
    record.cooldownUntil = 0;
    record.probeSince = undefined;
    this.transition(id, record, disabled ? 'disabled' : 'healthy', 'manual', this.clock());
  }

  /**
   * Cools the target down until `cooldownUntil` (epoch ms), unless it is disabled or already cooling
   * down longer. For cooldowns announced by another replica ('remote': do not re-broadcast those),
   * and for an upstream's long Retry-After ('retry_after').
   */
  applyCooldown(id: string, cooldownUntil: number, cause: 'remote' | 'retry_after' = 'remote'): void {
    const now = this.clock();
    if (!(cooldownUntil > now)) return;
    const record = this.record(id);
    if (record.state === 'disabled') return;
    if (record.state === 'cooling_down') record.cooldownUntil = Math.max(record.cooldownUntil, cooldownUntil);
    else this.open(id, record, cooldownUntil, cause, now);
  }

  state(id: string): TargetState {
    const record = this.records.get(id);
    if (record === undefined) return 'healthy';
    this.endCooldownIfDue(id, record, this.clock());
    return record.state;
  }

  /** Requests in flight to the target: this replica's plus the others' last reported counts. */
  inFlight(id: string): number {
    return (this.records.get(id)?.inFlight ?? 0) + (this.remoteInFlight.get(id) ?? 0);
  }

  /** This replica's own in-flight counts (non-zero only), to share with the other replicas. */
  localInFlight(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [id, record] of this.records) if (record.inFlight > 0) counts.set(id, record.inFlight);
    return counts;
  }

  /** The other replicas' in-flight counts, summed; replaces what was set before. */
  setRemoteInFlight(counts: ReadonlyMap<string, number>): void {
    this.remoteInFlight = counts;
  }

  latencyMs(id: string): number | undefined {
    return this.records.get(id)?.latencyMs;
  }

  snapshot(): TargetSnapshot[] {
    const now = this.clock();
    const result: TargetSnapshot[] = [];
    for (const [id, record] of this.records) {
      this.endCooldownIfDue(id, record, now);
      result.push({
        id,
        state: record.state,
        inFlight: record.inFlight,
        latencyMs: record.latencyMs,
        failures: record.failures.count(now, this.windowMs),
        cooldownUntil: record.state === 'cooling_down' ? record.cooldownUntil : undefined,
      });
    }
    return result;
  }

  /** Called synchronously on every state change; keep listeners quick and make them not throw. */
  onStateChange(listener: StateChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /** Forgets targets that no longer exist, e.g. after the route table was rebuilt. */
  retainOnly(ids: Iterable<string>): void {
    const keep = new Set(ids);
    for (const [id, record] of this.records) {
      if (keep.has(id)) continue;
      if (record.state !== 'healthy') this.impaired--;
      this.records.delete(id);
    }
  }

  private record(id: string): TargetRecord {
    let record = this.records.get(id);
    if (record === undefined) {
      record = {
        state: 'healthy',
        inFlight: 0,
        latencyMs: undefined,
        cooldownUntil: 0,
        probeSince: undefined,
        failures: new FailureWindow(this.failureThreshold),
      };
      this.records.set(id, record);
    }
    return record;
  }

  private probeOut(record: TargetRecord, now: number): boolean {
    return record.probeSince !== undefined && now - record.probeSince < this.probeTimeoutMs;
  }

  private endCooldownIfDue(id: string, record: TargetRecord, now: number): void {
    if (record.state === 'cooling_down' && now >= record.cooldownUntil) {
      this.transition(id, record, 'half_open', 'cooldown_elapsed', now);
    }
  }

  private open(id: string, record: TargetRecord, until: number, cause: TransitionCause, now: number): void {
    record.failures.clear();
    record.cooldownUntil = until;
    record.probeSince = undefined;
    this.transition(id, record, 'cooling_down', cause, now);
  }

  private transition(id: string, record: TargetRecord, to: TargetState, cause: TransitionCause, at: number): void {
    const from = record.state;
    if (from === to) return;
    record.state = to;
    if (from === 'healthy') this.impaired++;
    else if (to === 'healthy') this.impaired--;
    if (this.listeners.length === 0) return;
    const change: StateChange = { id, from, to, cause, at };
    if (to === 'cooling_down') change.cooldownUntil = record.cooldownUntil;
    for (const listener of this.listeners) listener(change);
  }
}

function positive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}
