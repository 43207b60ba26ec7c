import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SecretBox } from '@synapse/crypto';
import { InvalidationBus } from '@synapse/gateway/cluster';
import {
  ChannelRepository,
  GatewayKeyRepository,
  RouteRepository,
  TargetOverrideRepository,
  TeamRepository,
  UserRepository,
} from '@synapse/gateway/persistence';
import { UpstreamClient, type Timeouts } from '@synapse/gateway/providers';
import { CatalogSnapshot } from './catalog-snapshot';
import { CoalescedReload } from './coalesced-reload';

export const DEFAULT_TIMEOUTS = Symbol('DEFAULT_TIMEOUTS');

/** Holds the current snapshot of keys, their owners' limits and channels; reloads it when any replica announces a change. */
@Injectable()
export class CatalogService implements OnApplicationBootstrap {
  private readonly logger = new Logger(CatalogService.name);
  private current: CatalogSnapshot | undefined;
  private readonly reloads = new CoalescedReload(() => this.load());
  private readonly listeners: ((snapshot: CatalogSnapshot) => void)[] = [];

  constructor(
    private readonly keys: GatewayKeyRepository,
    private readonly channels: ChannelRepository,
    private readonly routes: RouteRepository,
    private readonly overrides: TargetOverrideRepository,
    private readonly users: UserRepository,
    private readonly teams: TeamRepository,
    private readonly secrets: SecretBox,
    private readonly bus: InvalidationBus,
    private readonly upstream: UpstreamClient,
    @Inject(DEFAULT_TIMEOUTS) private readonly defaults: Timeouts,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.bus.subscribe('catalog', () => void this.reload().catch((e) => this.logger.error(`reload failed: ${e}`)));
    await this.reload();
  }

  /** Called with every new snapshot, before requests see it. */
  onReload(listener: (snapshot: CatalogSnapshot) => void): void {
    this.listeners.push(listener);
    if (this.current) listener(this.current);
  }

  get snapshot(): CatalogSnapshot {
    if (!this.current) throw new Error('the catalog is not loaded yet');
    return this.current;
  }

  /** Reloads from the store; concurrent calls collapse into one extra reload. */
  reload(): Promise<void> {
    return this.reloads.run();
  }

  private async load(): Promise<void> {
    const [keys, channels, routes, overrides, users, teams] = await Promise.all([
      this.keys.findAll(),
      this.channels.findAll(),
      this.routes.findAll(),
      this.overrides.findAll(),
      this.users.findWithLimits(),
      // Teams are few: all are read, those without limits are left out here.
      this.teams.findAll().then((all) => all.filter((team) => team.limits)),
    ]);
    const next = new CatalogSnapshot(
      { keys, channels, routes, overrides, users, teams },
      (sealed) => this.secrets.decrypt(sealed),
      this.defaults,
    );
    for (const warning of next.warnings) this.logger.warn(warning);
    for (const listener of this.listeners) listener(next);
    this.current = next;
    this.upstream.retain([...next.channels.values()]);
  }
}
