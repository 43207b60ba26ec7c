/**
 * healthy: takes traffic. cooling_down: refused until `cooldownUntil`. half_open: the cooldown is
 * over and one probe request may go; its outcome closes or re-opens the circuit. disabled: by hand.
 */
export type TargetState = 'healthy' | 'cooling_down' | 'half_open' | 'disabled';

export type TransitionCause =
  | 'failures' // failureThreshold failures within windowMs
  | 'cooldown_elapsed'
  | 'probe_succeeded'
  | 'probe_failed'
  | 'retry_after' // the upstream asked for a pause longer than the retry policy sleeps
  | 'remote' // another replica decided the cooldown (applyCooldown)
  | 'manual'; // setDisabled

export interface StateChange {
  id: string;
  from: TargetState;
  to: TargetState;
  cause: TransitionCause;
  at: number;
  /** When the cooldown ends; set when `to` is cooling_down. */
  cooldownUntil?: number;
}

export interface TargetSnapshot {
  id: string;
  state: TargetState;
  inFlight: number;
  /** EWMA of reported latencies; undefined until the first success. */
  latencyMs: number | undefined;
  /** Failures within the failure window. */
  failures: number;
  /** Set while cooling down. */
  cooldownUntil: number | undefined;
}
