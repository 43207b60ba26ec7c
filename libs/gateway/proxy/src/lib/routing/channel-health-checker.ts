import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ProviderRegistry, UpstreamClient, UpstreamFailure } from '@synapse/gateway/providers';
import { CatalogService } from '../catalog/catalog.service';
import { refusedChannelKey } from '../errors/upstream-error';
import { ChannelTester, type ChannelCheckView } from './routing-admin';
import { RoutingService } from './routing.service';

export interface HealthCheckOptions {
  /** 0 turns scheduled checks off. */
  intervalMs: number;
  timeoutMs: number;
}

export const HEALTH_CHECK_OPTIONS = Symbol('HEALTH_CHECK_OPTIONS');

/**
 * Asks every enabled channel a cheap question on a schedule. A failed check counts as a failure of
 * each of the channel's targets, so a dead channel cools down before callers hit it; a check that
 * changes the verdict is logged and recorded as a target event.
 */
@Injectable()
export class ChannelHealthChecker extends ChannelTester implements OnApplicationBootstrap {
  private readonly logger = new Logger('HealthCheck');
  private running = false;

  constructor(
    @Inject(HEALTH_CHECK_OPTIONS) private readonly options: HealthCheckOptions,
    private readonly catalog: CatalogService,
    private readonly routing: RoutingService,
    private readonly upstream: UpstreamClient,
    private readonly providers: ProviderRegistry,
    private readonly scheduler: SchedulerRegistry,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    if (this.options.intervalMs <= 0) return;
    const timer = setInterval(() => void this.checkAll(), this.options.intervalMs);
    timer.unref();
    this.scheduler.addInterval('channel-health-checks', timer);
  }

  /** One round over every enabled channel; rounds never overlap. */
  async checkAll(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const snapshot = this.catalog.snapshot;
      const targetsByChannel = new Map<string, string[]>();
      for (const id of snapshot.routes.targetIds()) {
        const channelId = id.slice(0, id.indexOf('/'));
        targetsByChannel.set(channelId, [...(targetsByChannel.get(channelId) ?? []), id]);
      }
      await Promise.all(
        [...snapshot.channels.values()].map((channel) =>
          this.checkAndRecord(channel, targetsByChannel.get(channel.channelId) ?? []),
        ),
      );
    } finally {
      this.running = false;
    }
  }

  /** One channel now, recorded like a scheduled check (the console's "test connection"). */
  async test(channelId: string): Promise<ChannelCheckView | null> {
    const snapshot = this.catalog.snapshot;
    const channel = snapshot.channels.get(channelId);
    if (!channel) return null;
    const targets = [...snapshot.routes.targetIds()].filter((id) => id.startsWith(`${channelId}/`));
    return this.checkAndRecord(channel, targets);
  }

  private async checkAndRecord(
    channel: Parameters<UpstreamClient['probe']>[0] & { channelId: string; channelName: string },
    targetIds: readonly string[],
  ): Promise<ChannelCheckView> {
    const check = await this.check(channel);
    const previous = this.routing.recordCheck(channel.channelId, check);
    if (!check.ok) for (const id of targetIds) this.routing.health.recordFailure(id);
    if (previous && previous.ok !== check.ok) {
      const verdict = check.ok ? 'answers again' : `failed its health check (${check.error})`;
      this.logger.warn(`channel ${channel.channelName} ${verdict}`);
    }
    return check;
  }

  private async check(channel: Parameters<UpstreamClient['probe']>[0]): Promise<ChannelCheckView> {
    const adapter = this.providers.get(channel.type);
    const started = performance.now();
    const at = new Date();
    try {
      const path = adapter.healthPathFor?.(channel) ?? adapter.healthPath;
      const { status, webPage, errorText } = await this.upstream.probe(
        channel,
        path,
        adapter.headersFor(channel),
        this.options.timeoutMs,
      );
      const latencyMs = Math.round(performance.now() - started);
      if (webPage) {
        const detail = `the base URL serves web pages (HTML at ${path}, status ${status}): check its path (an OpenAI-compatible API usually ends in /v1)`;
        return { at, ok: false, latencyMs, error: 'upstream_invalid_response', detail };
      }
      return answersCalls(status, errorText)
        ? { at, ok: true, latencyMs, error: null, detail: null }
        : { at, ok: false, latencyMs, error: `status_${status}`, detail: statusDetail(status, errorText) };
    } catch (error) {
      const failure = error instanceof UpstreamFailure ? error : undefined;
      return {
        at,
        ok: false,
        latencyMs: null,
        error: `upstream_${failure?.kind ?? 'unreachable'}`,
        detail: failure?.message ?? null,
      };
    }
  }
}

/** What a failing status says to the operator. */
function statusDetail(status: number, text = ''): string {
  if (status === 407) return 'a proxy between the gateway and the upstream asks for credentials (407)';
  if (refusedChannelKey(status, text)) return `the upstream refused the channel's key (${status}): check its API key`;
  return `the upstream failed (${status})`;
}

/**
 * Whether a channel that answered its check with `status` (and, for an error, `text`) takes calls.
 * A rejected key (401, 403, 407, Google's 400 API_KEY_INVALID: refusedChannelKey) fails every
 * call, and so does a failing server (5xx). Any other answer comes from a live server: one without
 * a model list (404, 405: Perplexity and many others have none) or one rate-limiting the check
 * (429). Those were failed checks, which cooled live channels down and alerted on them.
 */
export function answersCalls(status: number, text = ''): boolean {
  return status < 500 && !refusedChannelKey(status, text);
}
