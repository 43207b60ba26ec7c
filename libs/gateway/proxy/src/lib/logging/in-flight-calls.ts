import { Injectable } from '@nestjs/common';

/** What a call in flight is counted under. */
export interface InFlightCall {
  keyId: string;
  userId: string | null;
  teamId: string | null;
  model: string;
}

/**
 * Calls in flight on this replica per key, user, team and requested model, for live monitoring.
 * A value's entry goes when its count returns to zero, so the maps hold only what is in flight.
 * Disabled (METRICS_ENABLED=false), `start` and `end` return at once.
 */
@Injectable()
export class InFlightCalls {
  enabled = true;
  readonly byKey = new Map<string, number>();
  readonly byUser = new Map<string, number>();
  readonly byTeam = new Map<string, number>();
  readonly byModel = new Map<string, number>();

  start(keyId: string, userId: string | null, teamId: string | null, model: string): void {
    if (!this.enabled) return;
    increment(this.byKey, keyId);
    if (userId !== null) increment(this.byUser, userId);
    if (teamId !== null) increment(this.byTeam, teamId);
    increment(this.byModel, model);
  }

  end(keyId: string, userId: string | null, teamId: string | null, model: string): void {
    if (!this.enabled) return;
    decrement(this.byKey, keyId);
    if (userId !== null) decrement(this.byUser, userId);
    if (teamId !== null) decrement(this.byTeam, teamId);
    decrement(this.byModel, model);
  }
}

function increment(counts: Map<string, number>, value: string): void {
  counts.set(value, (counts.get(value) ?? 0) + 1);
}

function decrement(counts: Map<string, number>, value: string): void {
  const count = (counts.get(value) ?? 0) - 1;
  if (count > 0) counts.set(value, count);
  else counts.delete(value);
}
