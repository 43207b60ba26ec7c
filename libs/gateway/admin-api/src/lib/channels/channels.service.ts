import { Inject, Injectable, Optional } from '@nestjs/common';
import { SecretBox, sealValues, secretHint } from '@synapse/crypto';
import { GqlErrors } from '@synapse/gateway/auth';
import { EgressPolicy } from '@synapse/gateway/config';
import { ChannelRepository, RouteRepository, type Channel as StoredChannel } from '@synapse/gateway/persistence';
import { HOST_RESOLVER, refusalOfBaseUrl, type ResolveAll } from '@synapse/gateway/providers';
import { RoutingAdmin } from '@synapse/gateway/proxy';
import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns';
import { toChannelView } from './channel-view';
import type { CreateChannelInput } from './dto/create-channel.input';
import type { UpdateChannelInput } from './dto/update-channel.input';
import type { Channel } from './models/channel.model';
import { parseApiKey, parseChannelFields } from './parse-channel-fields';
import { Serial } from '../common/serial';

/**
 * Channels at run time. The API key and header values are write-only: they are encrypted under the
 * master key as they arrive, and only the key's hint and the header names are ever read back. Every change reloads the catalog on every replica
 * (this one before the mutation answers), so that the next request uses it.
 */
@Injectable()
export class ChannelsService {
  private readonly serial = new Serial();

  constructor(
    private readonly channels: ChannelRepository,
    private readonly routes: RouteRepository,
    private readonly secrets: SecretBox,
    private readonly routing: RoutingAdmin,
    private readonly egress: EgressPolicy,
    @Optional() @Inject(HOST_RESOLVER) private readonly resolve: ResolveAll = lookup,
  ) {}

  async list(): Promise<Channel[]> {
    return (await this.channels.findAll()).map(toChannelView);
  }

  async get(id: string): Promise<Channel> {
    return toChannelView(await this.find(id));
  }

  create(input: CreateChannelInput): Promise<Channel> {
    return this.serial.run(async () => {
      const fields = parseChannelFields({
        name: input.name,
        type: input.type ?? 'openai',
        baseUrl: input.baseUrl,
        models: input.models,
        enabled: input.enabled ?? true,
        headers: input.headers ?? [],
        timeouts: input.timeouts ?? null,
      });
      const apiKey = parseApiKey(input.apiKey) ?? null;
      await this.checkReachable(fields.baseUrl);
      await this.checkNameFree(fields.name);
      const now = new Date();
      return this.saveChanged({
        id: randomUUID(),
        ...fields,
        headers: sealValues(fields.headers, this.secrets),
        ...this.sealed(apiKey),
        createdAt: now,
        updatedAt: now,
      });
    });
  }

  update(id: string, input: UpdateChannelInput): Promise<Channel> {
    return this.serial.run(async () => {
      const stored = await this.find(id);
      const fields = parseChannelFields({
        name: input.name ?? stored.name,
        type: input.type ?? stored.type,
        baseUrl: input.baseUrl ?? stored.baseUrl,
        models: input.models ?? stored.models,
        enabled: input.enabled ?? stored.enabled,
        // Stored values are sealed: checked and sealed only when new ones are given.
        headers: input.headers ?? [],
        timeouts: input.timeouts === undefined ? stored.timeouts : input.timeouts,
      });
      const apiKey = parseApiKey(input.apiKey);
      assertSecretsFollow(stored, fields, input);
      // A channel stored before a narrower policy can still be renamed, disabled or re-keyed.
      if (fields.baseUrl !== stored.baseUrl) await this.checkReachable(fields.baseUrl);
      if (fields.name !== stored.name) await this.checkNameFree(fields.name);
      return this.saveChanged({
        ...stored,
        ...fields,
        headers: input.headers === undefined ? stored.headers : sealValues(fields.headers, this.secrets),
        ...(apiKey !== undefined && this.sealed(apiKey)),
        updatedAt: new Date(),
      });
    });
  }

  /** Refused while a stored route targets the channel: the route would silently lose that target. */
  delete(id: string): Promise<boolean> {
    return this.serial.run(async () => {
      const channel = await this.find(id);
      const users = (await this.routes.findAll())
        .filter((route) => route.targets.some((target) => target.channelId === id))
        .map((route) => `'${route.name}'`);
      if (users.length) {
        throw GqlErrors.conflict(
          `Channel '${channel.name}' is a target of the routes ${users.join(', ')}: take it out of their targets first.`,
        );
      }
      if (!(await this.channels.delete(id))) throw notFound(id);
      await this.routing.catalogChanged();
      return true;
    });
  }

  private sealed(apiKey: string | null): Pick<StoredChannel, 'apiKeyEncrypted' | 'apiKeyHint'> {
    return apiKey
      ? { apiKeyEncrypted: this.secrets.encrypt(apiKey), apiKeyHint: secretHint(apiKey) }
      : { apiKeyEncrypted: null, apiKeyHint: null };
  }

  private async saveChanged(channel: StoredChannel): Promise<Channel> {
    await this.channels.save(channel);
    await this.routing.catalogChanged();
    return toChannelView(channel);
  }

  private async find(id: string): Promise<StoredChannel> {
    const channel = await this.channels.findById(id);
    if (!channel) throw notFound(id);
    return channel;
  }

  /** Connections to a refused address fail anyway (checked after DNS, each time); refusing at save tells the operator at once. */
  private async checkReachable(baseUrl: string): Promise<void> {
    const refusal = await refusalOfBaseUrl(this.egress, baseUrl, this.resolve);
    if (refusal) {
      throw GqlErrors.badUserInput(
        `baseUrl: the gateway does not connect to this address: ${refusal} (see UPSTREAM_ALLOWED_PRIVATE_CIDRS)`,
      );
    }
  }

  private async checkNameFree(name: string): Promise<void> {
    if (await this.channels.findByName(name)) {
      throw GqlErrors.badUserInput(`name: a channel named '${name}' already exists`);
    }
  }
}

function notFound(id: string) {
  return GqlErrors.notFound(`No channel has the id '${id}'.`);
}

/**
 * The stored key and header values were given for one upstream: a change of origin (scheme, host
 * or port) or of provider type must bring them again, or an operator who may not read them could
 * send them elsewhere, or in clear over http to the same host.
 */
function assertSecretsFollow(
  stored: StoredChannel,
  next: { baseUrl: string; type: string },
  input: UpdateChannelInput,
): void {
  const retyped = next.type !== stored.type;
  const moved = new URL(next.baseUrl).origin !== new URL(stored.baseUrl).origin || retyped;
  if (!moved) return;
  const missing = [
    stored.apiKeyEncrypted && input.apiKey === undefined && 'apiKey',
    Object.keys(stored.headers).length > 0 && input.headers === undefined && 'headers',
  ].filter(Boolean);
  if (missing.length) {
    throw GqlErrors.badUserInput(
      `${missing.join(' and ')}: the channel moves to another ${retyped ? 'provider type' : 'origin (scheme, host or port)'}; give ${missing.join(' and ')} again (or null to drop them), the stored ones stay with the old upstream`,
    );
  }
}
