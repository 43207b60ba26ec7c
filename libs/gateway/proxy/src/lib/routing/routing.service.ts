import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InvalidationBus, REDIS } from '@synapse/gateway/cluster';
import { TargetEventRepository, TargetOverrideRepository } from '@synapse/gateway/persistence';
import {
  ChannelConcurrency,
  RateWindow,
  RoutePlanner,
  TargetHealth,
  type CompiledRoute,
  type RoutePlan,
  type StateChange,
} from '@synapse/routing';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { CatalogSnapshot } from '../catalog/catalog-snapshot';
import { CatalogService } from '../catalog/catalog.service';
import { RoutingAdmin, type ChannelCheckView, type TargetEventView, type TargetStatusView } from './routing-admin';

export interface RoutingOptions {
  failureThreshold: number;
  failureWindowMs: number;
  cooldownMs: number;
  /** How often replicas exchange in-flight counts through Redis. */
  syncIntervalMs: number;
  /** Upstream calls in flight per channel on this replica at most (UPSTREAM_MAX_IN_FLIGHT_PER_CHANNEL); 0: no cap. */
  maxInFlightPerChannel?: number;
}

export const ROUTING_OPTIONS = Symbol('ROUTING_OPTIONS');

const INFLIGHT_KEY = 'synapse:inflight';
/** A replica's in-flight report older than this is ignored (the replica stopped or hangs). */
const INFLIGHT_STALE_MS = 5_000;

interface CooldownMessage {
  origin: string;
  id: string;
  until: number;
}

/**
 * One per replica: the circuit breakers and load statistics of every target, the planner that
 * walks routes for requests, and their sharing between replicas — cooldowns through pub/sub at
 * once, in-flight counts through a Redis hash every `syncIntervalMs`.
 */
@Injectable()
export class RoutingService extends RoutingAdmin implements OnModuleInit, OnApplicationShutdown {
  readonly health: TargetHealth;
  readonly channels: ChannelConcurrency;
  private readonly planner: RoutePlanner;
  /** Tokens per target per minute, for targets with a `tpm` cap (per replica). */
  private readonly tokens = new RateWindow(60_000);
  private readonly logger = new Logger('Routing');
  private readonly replicaId = randomUUID();
  private readonly checks = new Map<string, ChannelCheckView>();
  private syncTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(ROUTING_OPTIONS) private readonly options: RoutingOptions,
    private readonly catalog: CatalogService,
    private readonly bus: InvalidationBus,
    private readonly eventStore: TargetEventRepository,
    private readonly overrides: TargetOverrideRepository,
    @Optional() @Inject(REDIS) private readonly redis: Redis | null,
  ) {
    super();
    this.health = new TargetHealth({
      failureThreshold: options.failureThreshold,
      windowMs: options.failureWindowMs,
      cooldownMs: options.cooldownMs,
    });
    this.channels = new ChannelConcurrency(options.maxInFlightPerChannel ?? 0);
    this.planner = new RoutePlanner({ health: this.health, tokens: this.tokens, channels: this.channels });
  }

  onModuleInit(): void {
    this.health.onStateChange((change) => this.onStateChange(change));
    this.bus.subscribe('routing', (message) => this.onRemoteCooldown(message));
    this.catalog.onReload((snapshot) => this.adopt(snapshot));
    if (this.redis) {
      this.syncTimer = setInterval(() => void this.syncInFlight(), this.options.syncIntervalMs);
      this.syncTimer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.syncTimer);
    await this.redis?.hdel(INFLIGHT_KEY, this.replicaId).catch(() => undefined);
  }

  plan(route: CompiledRoute): RoutePlan {
    return this.planner.plan(route);
  }

  /** Charges a served call's tokens to its target, so that `tpm` caps hold. */
  recordTokens(targetId: string, tokens: number): void {
    if (tokens > 0) this.tokens.add(targetId, tokens, Date.now());
  }

  /** Records the outcome of a scheduled health check of a channel. */
  recordCheck(channelId: string, check: ChannelCheckView): ChannelCheckView | undefined {
    const previous = this.checks.get(channelId);
    this.checks.set(channelId, check);
    return previous;
  }

  targets(): TargetStatusView[] {
    const snapshot = this.catalog.snapshot;
    const routesByTarget = new Map<string, string[]>();
    const targets = new Map<string, { channelId: string; model: string }>();
    for (const route of snapshot.routes.routes()) {
      for (const target of route.targets) {
        targets.set(target.id, target);
        routesByTarget.set(target.id, [...(routesByTarget.get(target.id) ?? []), route.name]);
      }
    }
    const stats = new Map(this.health.snapshot().map((s) => [s.id, s]));
    return [...targets.entries()]
      .map(([id, target]) => {
        const stat = stats.get(id);
        return {
          id,
          channelId: target.channelId,
          channelName: snapshot.channels.get(target.channelId)?.channelName ?? target.channelId,
          model: target.model,
          routes: routesByTarget.get(id) ?? [],
          state: this.health.state(id),
          inFlight: this.health.inFlight(id),
          latencyMs: stat?.latencyMs === undefined ? null : Math.round(stat.latencyMs * 10) / 10,
          recentFailures: stat?.failures ?? 0,
          cooldownUntil: stat?.cooldownUntil ? new Date(stat.cooldownUntil) : null,
          lastCheck: this.checks.get(target.channelId) ?? null,
        };
      })
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async events(limit: number): Promise<TargetEventView[]> {
    const events = await this.eventStore.recent(limit);
    return events.map((e) => ({
      at: e.at,
      targetId: e.targetId,
      channelId: e.channelId,
      from: e.fromState as TargetEventView['from'],
      to: e.toState as TargetEventView['to'],
      cause: e.cause,
    }));
  }

  async setTargetDisabled(targetId: string, disabled: boolean): Promise<TargetStatusView> {
    const exists = this.catalog.snapshot.routes.targetIds().has(targetId);
    if (!exists) throw new RoutingTargetNotFound(targetId);
    const from = this.health.state(targetId);
    await this.overrides.save({ targetId, disabled, updatedAt: new Date() });
    this.health.setDisabled(targetId, disabled);
    const to = this.health.state(targetId);
    if (from !== to) await this.record({ id: targetId, from, to, cause: 'manual', at: Date.now() });
    // Every replica (this one included) reloads the overrides with the catalog.
    await this.catalogChanged();
    const view = this.targets().find((t) => t.id === targetId);
    if (!view) throw new RoutingTargetNotFound(targetId);
    return view;
  }

  async catalogChanged(): Promise<void> {
    await this.bus.publish('catalog');
    await this.catalog.reload();
  }

  private adopt(snapshot: CatalogSnapshot): void {
    const ids = snapshot.routes.targetIds();
    this.health.retainOnly(ids);
    for (const id of ids) this.health.setDisabled(id, snapshot.disabledTargets.has(id));
  }

  private onStateChange(change: StateChange): void {
    if (change.to === 'cooling_down' && change.cause !== 'remote' && change.cooldownUntil) {
      const message: CooldownMessage = { origin: this.replicaId, id: change.id, until: change.cooldownUntil };
      void this.bus
        .publish('routing', JSON.stringify(message))
        .catch((e) => this.logger.warn(`cooldown not shared: ${e}`));
    }
    // Remote changes are recorded by the replica that decided them; manual ones where they are made.
    if (change.cause === 'remote' || change.cause === 'manual') return;
    if (change.to !== 'healthy' || change.from !== 'half_open') {
      this.logger.warn(`target ${change.id}: ${change.from} -> ${change.to} (${change.cause})`);
    }
    void this.record(change);
  }

  private onRemoteCooldown(message: string): void {
    try {
      const cooldown = JSON.parse(message) as CooldownMessage;
      if (cooldown.origin !== this.replicaId) this.health.applyCooldown(cooldown.id, cooldown.until, 'remote');
    } catch {
      this.logger.warn('ignored a malformed routing message');
    }
  }

  private async record(change: StateChange): Promise<void> {
    try {
      await this.eventStore.insert({
        id: randomUUID(),
        at: new Date(change.at),
        targetId: change.id,
        channelId: change.id.split('/')[0],
        fromState: change.from,
        toState: change.to,
        cause: change.cause,
      });
    } catch (error) {
      this.logger.warn(`could not record a target event: ${(error as Error).message}`);
    }
  }

  /** Publishes this replica's in-flight counts and sums the other replicas' fresh reports. */
  private async syncInFlight(): Promise<void> {
    if (!this.redis) return;
    try {
      const now = Date.now();
      const local = Object.fromEntries(this.health.localInFlight());
      await this.redis.hset(INFLIGHT_KEY, this.replicaId, JSON.stringify({ at: now, counts: local }));
      const reports = await this.redis.hgetall(INFLIGHT_KEY);
      const remote = new Map<string, number>();
      for (const [replica, text] of Object.entries(reports)) {
        if (replica === this.replicaId) continue;
        const report = JSON.parse(text) as { at: number; counts: Record<string, number> };
        if (now - report.at > INFLIGHT_STALE_MS) {
          if (now - report.at > 10 * INFLIGHT_STALE_MS) await this.redis.hdel(INFLIGHT_KEY, replica);
          continue;
        }
        for (const [id, count] of Object.entries(report.counts)) remote.set(id, (remote.get(id) ?? 0) + count);
      }
      this.health.setRemoteInFlight(remote);
    } catch (error) {
      this.logger.warn(`in-flight sync failed: ${(error as Error).message}`);
    }
  }
}

export class RoutingTargetNotFound extends Error {
  constructor(readonly targetId: string) {
    super(`No routing target '${targetId}'.`);
    this.name = 'RoutingTargetNotFound';
  }
}
