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
  readonly channels = new Map<string, Channel>();

  async findAll(): Promise<Channel[]> {
    return [...this.channels.values()];
  }

  async findByName(name: string): Promise<Channel | null> {
    return this.channels.get(name) ?? null;
  }

  async save(channel: Channel): Promise<Channel> {
    this.channels.set(channel.name, channel);
    return channel;
  }
}

export function fakeChannel(name: string, overrides: Partial<Channel> = {}): Channel {
  const at = new Date('2030-01-01T00:00:00Z');
  return {
    id: `id-${name}`,
    name,
    type: 'openai',
    baseUrl: `http://${name}.test/v1`,
    apiKeyEncrypted: null,
    models: [],
    enabled: true,
    headers: {},
    timeouts: {},
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** The in-process bus, counting what was published. */
