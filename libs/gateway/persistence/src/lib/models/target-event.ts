/** A recorded change of a routing target's state (healthy, cooling_down, half_open, disabled). */
export interface TargetEvent {
  id: string;
  at: Date;
  targetId: string;
  channelId: string;
  fromState: string;
  toState: string;
  cause: string;
}

/** A target taken out of rotation by hand; survives restarts and applies on every replica. */
export interface TargetOverride {
  targetId: string;
  disabled: boolean;
  updatedAt: Date;
}
