import type { LiveAggregate, LiveDimension, LiveWindow } from '@synapse/metrics';

/** In-flight counts per dimension value, as one replica (or all of them) reports them. */
export type InFlightCounts = Partial<Record<LiveDimension, Map<string, number>>>;

/**
 * Where live windows are read from: this replica's own memory, or (with Redis) every replica's
 * windows and in-flight counts merged.
 */
export abstract class LiveShare {
  /** Starts sharing this replica's window and in-flight counts (a no-op in process). */
  abstract start(window: LiveWindow, inFlight: () => InFlightCounts): void;
  abstract stop(): Promise<void>;
  /** Each value of a dimension with its counts over the last `windowMs`. */
  abstract collect(dimension: LiveDimension, windowMs: number): Promise<Map<string, LiveAggregate>>;
  /** Calls in flight per value of a dimension (key, user, team, model). */
  abstract inFlight(dimension: LiveDimension): Promise<Map<string, number>>;
}

/** One replica: the window and counts are read where they are kept. */
export class LocalLiveShare extends LiveShare {
  private window: LiveWindow | undefined;
  private counts: () => InFlightCounts = () => ({});

  start(window: LiveWindow, inFlight: () => InFlightCounts): void {
    this.window = window;
    this.counts = inFlight;
  }

  async stop(): Promise<void> {
    this.window = undefined;
  }

  async collect(dimension: LiveDimension, windowMs: number): Promise<Map<string, LiveAggregate>> {
    return this.window?.collect(dimension, windowMs) ?? new Map();
  }

  async inFlight(dimension: LiveDimension): Promise<Map<string, number>> {
    return new Map(this.counts()[dimension]);
  }
}
