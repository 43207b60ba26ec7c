import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InFlightCalls, RequestLogWriter, RoutingAdmin } from '@synapse/gateway/proxy';
import { LiveWindow, emptyAggregate, statsOf, type LiveDimension, type LiveStats } from '@synapse/metrics';
import { MONITORING_OPTIONS, type MonitoringOptions } from '../monitoring-options';
import { LiveShare, type InFlightCounts } from './live-share';

/** One group (a model, a key, …) over a window: the figures and the calls in flight now. */
export interface LiveGroup extends LiveStats {
  value: string;
  inFlight: number;
}

/** Windows operators may ask for. */
export const LIVE_WINDOWS_MS = [60_000, 5 * 60_000, 15 * 60_000] as const;

/** Reads of the same group and window within this time share one answer (subscriptions poll). */
const READ_REUSE_MS = 1_000;

export class LiveMetricsDisabled extends Error {
  constructor() {
    super('Live metrics are turned off on this gateway (METRICS_ENABLED=false).');
  }
}

/**
 * Live request figures per model, channel, route, key, user and team over the last 1, 5 or 15
 * minutes: every finished call is added to a LiveWindow as the request log writer records it;
 * reads merge all replicas when they share Redis (LiveShare).
 */
@Injectable()
export class LiveMetricsService implements OnModuleInit, OnApplicationShutdown {
  private readonly window = new LiveWindow();
  private readonly reads = new Map<string, { at: number; groups: Promise<LiveGroup[]> }>();
  private stopObserving: (() => void) | undefined;

  constructor(
    private readonly writer: RequestLogWriter,
    private readonly calls: InFlightCalls,
    private readonly routing: RoutingAdmin,
    private readonly share: LiveShare,
    @Inject(MONITORING_OPTIONS) private readonly options: MonitoringOptions,
  ) {}

  get enabled(): boolean {
    return this.options.enabled;
  }

  onModuleInit(): void {
    this.calls.enabled = this.options.enabled;
    if (!this.options.enabled) return;
    const window = this.window;
    this.stopObserving = this.writer.observe((entry) => window.record(entry));
    this.share.start(window, () => this.localInFlight());
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopObserving?.();
    await this.share.stop();
  }

  /** Groups of a dimension over the last `windowMs`, busiest first. */
  read(dimension: LiveDimension, windowMs: number): Promise<LiveGroup[]> {
    if (!this.options.enabled) return Promise.reject(new LiveMetricsDisabled());
    const key = `${dimension}:${windowMs}`;
    const now = Date.now();
    const cached = this.reads.get(key);
    if (cached && now - cached.at < READ_REUSE_MS) return cached.groups;
    const groups = this.compute(dimension, windowMs);
    this.reads.set(key, { at: now, groups });
    groups.catch(() => this.reads.delete(key));
    return groups;
  }

  private async compute(dimension: LiveDimension, windowMs: number): Promise<LiveGroup[]> {
    const [aggregates, inFlight] = await Promise.all([
      this.share.collect(dimension, windowMs),
      this.inFlight(dimension),
    ]);
    const groups: LiveGroup[] = [];
    for (const [value, aggregate] of aggregates) {
      groups.push({ value, ...statsOf(aggregate), inFlight: inFlight.get(value) ?? 0 });
    }
    // Busy now but nothing finished in the window yet (long generations).
    for (const [value, count] of inFlight) {
      if (!aggregates.has(value) && count > 0) {
        groups.push({ value, ...statsOf(emptyAggregate()), inFlight: count });
      }
    }
    return groups.sort((a, b) => b.requests - a.requests || b.inFlight - a.inFlight || a.value.localeCompare(b.value));
  }

  /** Channels and routes: the routing targets' in-flight counts (already summed over replicas). */
  private async inFlight(dimension: LiveDimension): Promise<Map<string, number>> {
    if (dimension !== 'channel' && dimension !== 'route') return this.share.inFlight(dimension);
    const counts = new Map<string, number>();
    for (const target of this.routing.targets()) {
      if (target.inFlight === 0) continue;
      // A target that several routes share counts for each of them.
      const values = dimension === 'channel' ? [target.channelId] : target.routes;
      for (const value of values) counts.set(value, (counts.get(value) ?? 0) + target.inFlight);
    }
    return counts;
  }

  private localInFlight(): InFlightCounts {
    return {
      key: this.calls.byKey,
      user: this.calls.byUser,
      team: this.calls.byTeam,
      model: this.calls.byModel,
    };
  }
}
