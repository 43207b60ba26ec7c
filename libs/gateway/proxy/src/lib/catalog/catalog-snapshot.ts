import type { Channel, GatewayKey } from '@synapse/gateway/persistence';
import type { Timeouts, UpstreamTarget } from '@synapse/gateway/providers';
import { compileModelPatterns, type ModelMatcher } from './model-pattern';

/** A key as the hot path needs it: no hash to compute, the allow-list compiled. */
export interface ActiveKey {
  id: string;
  name: string;
  userId: string | null;
  enabled: boolean;
  expiresAt: number | null;
  allows: ModelMatcher;
}

export interface ServedModel {
  id: string;
  created: number;
  ownedBy: string;
  targets: UpstreamTarget[];
}

/**
 * Everything a proxied request reads, built once from the store and swapped whole on change, so
 * that a request never touches the database and never sees half an update.
 */
export class CatalogSnapshot {
  private readonly keysByHash = new Map<string, ActiveKey>();
  private readonly models = new Map<string, ServedModel>();
  private readonly cursors = new Map<string, number>();
  readonly targets: UpstreamTarget[] = [];

  constructor(
    keys: readonly GatewayKey[],
    channels: readonly Channel[],
    decrypt: (sealed: string) => string,
    defaults: Timeouts,
  ) {
    for (const key of keys) {
      this.keysByHash.set(key.hash, {
        id: key.id,
        name: key.name,
        userId: key.userId,
        enabled: key.enabled,
        expiresAt: key.expiresAt ? key.expiresAt.getTime() : null,
        allows: compileModelPatterns(key.models),
      });
    }
    for (const channel of channels) {
      if (!channel.enabled) continue;
      const target: UpstreamTarget = {
        channelId: channel.id,
        channelName: channel.name,
        type: channel.type,
        baseUrl: channel.baseUrl,
        apiKey: channel.apiKeyEncrypted ? decrypt(channel.apiKeyEncrypted) : null,
        headers: channel.headers,
        timeouts: { ...defaults, ...channel.timeouts },
      };
      this.targets.push(target);
      for (const model of channel.models) {
        const served = this.models.get(model);
        if (served) served.targets.push(target);
        else
          this.models.set(model, {
            id: model,
            created: Math.floor(channel.createdAt.getTime() / 1000),
            ownedBy: channel.type,
            targets: [target],
          });
      }
    }
  }

  keyByHash(hash: string): ActiveKey | undefined {
    return this.keysByHash.get(hash);
  }

  model(id: string): ServedModel | undefined {
    return this.models.get(id);
  }

  modelsFor(key: ActiveKey): ServedModel[] {
    return [...this.models.values()].filter((m) => key.allows(m.id)).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Round-robin over the channels serving a model (the routing library refines this). */
  pick(model: ServedModel): UpstreamTarget {
    if (model.targets.length === 1) return model.targets[0];
    const next = this.cursors.get(model.id) ?? 0;
    this.cursors.set(model.id, (next + 1) % model.targets.length);
    return model.targets[next % model.targets.length];
  }
}
