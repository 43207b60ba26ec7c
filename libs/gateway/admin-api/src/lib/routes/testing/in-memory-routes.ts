import {
  ChannelRepository,
  RouteRepository,
  type Channel,
  type Route as StoredRoute,
} from '@synapse/gateway/persistence';

export class InMemoryRouteRepository extends RouteRepository {
  readonly routes = new Map<string, StoredRoute>();
  /** Set to make the next save fail, as a lost database would. */
  failSave: Error | undefined;

  async findAll(): Promise<StoredRoute[]> {
    return [...this.routes.values()].sort((a, b) => a.name.localeCompare(b.name)).map((r) => structuredClone(r));
  }

  async findByName(name: string): Promise<StoredRoute | null> {
    const route = this.routes.get(name);
    return route ? structuredClone(route) : null;
  }

  async save(route: StoredRoute): Promise<StoredRoute> {
    if (this.failSave) throw this.failSave;
    this.routes.set(route.name, structuredClone(route));
    return route;
  }

  async delete(name: string): Promise<boolean> {
    return this.routes.delete(name);
  }
}

export class InMemoryChannelRepository extends ChannelRepository {
  /** By id. */
  readonly channels = new Map<string, Channel>();
  /** Set to make the next save fail, as a lost database would. */
  failSave: Error | undefined;

  async findAll(): Promise<Channel[]> {
    return [...this.channels.values()].sort((a, b) => a.name.localeCompare(b.name)).map(copyChannel);
  }

  async findByName(name: string): Promise<Channel | null> {
    const channel = [...this.channels.values()].find((c) => c.name === name);
    return channel ? copyChannel(channel) : null;
  }

  async findById(id: string): Promise<Channel | null> {
    const channel = this.channels.get(id);
    return channel ? copyChannel(channel) : null;
  }

  async save(channel: Channel): Promise<Channel> {
    if (this.failSave) throw this.failSave;
    const clash = [...this.channels.values()].find((c) => c.name === channel.name && c.id !== channel.id);
    if (clash) throw new Error(`UNIQUE constraint failed: channels.name`);
    this.channels.set(channel.id, copyChannel(channel));
    return channel;
  }

  async delete(id: string): Promise<boolean> {
    return this.channels.delete(id);
  }

  async setApiKeyHint(id: string, sealed: string, hint: string | null): Promise<boolean> {
    const channel = this.channels.get(id);
    if (!channel || channel.apiKeyEncrypted !== sealed) return false;
    this.channels.set(id, { ...channel, apiKeyHint: hint });
    return true;
  }
}

/** A copy that the caller may change; not structuredClone, whose Dates fail `instanceof Date` under Jest. */
function copyChannel(channel: Channel): Channel {
  return {
    ...channel,
    models: [...channel.models],
    headers: { ...channel.headers },
    timeouts: { ...channel.timeouts },
  };
}

export function fakeChannel(name: string, overrides: Partial<Channel> = {}): Channel {
  const at = new Date('2030-01-01T00:00:00Z');
  return {
    id: `id-${name}`,
    name,
    type: 'openai',
    baseUrl: `http://${name}.test/v1`,
    apiKeyEncrypted: null,
    apiKeyHint: null,
    models: [],
    enabled: true,
    headers: {},
    timeouts: {},
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
