import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InvalidationBus } from '@synapse/gateway/cluster';
import { ModelPriceRepository, type StoredModelPrice } from '@synapse/gateway/persistence';
import { CoalescedReload } from '../catalog/coalesced-reload';
import { BUILT_IN_PRICES } from './built-in-prices';
import { PriceBook, type ModelPrice } from './price-book';
import { PRICING, type Pricing } from './pricing';

export const CONFIG_PRICES = Symbol('CONFIG_PRICES');

export type PriceSource = 'runtime' | 'config' | 'default';

/** One price of one table, and whether it is the one in force for its name. */
export interface PriceEntry {
  model: string;
  price: ModelPrice;
  source: PriceSource;
  /** False when a table before it prices this name (for a glob: has the same glob). */
  active: boolean;
  /** Runtime prices: when and by whom they were set. */
  effectiveFrom: Date | null;
  createdBy: string | null;
}

/**
 * The prices the proxy charges: runtime prices (stored, set through GraphQL) before the config
 * file's before the built-in defaults. The hot path reads the PriceBook in `PRICING`, which is
 * replaced whole whenever any replica announces a change on the `prices` topic; no call reads
 * the database.
 */
@Injectable()
export class PriceCatalog implements OnApplicationBootstrap {
  private readonly logger = new Logger(PriceCatalog.name);
  private runtime: StoredModelPrice[] = [];
  private readonly reloads = new CoalescedReload(() => this.load());

  constructor(
    @Inject(PRICING) private readonly pricing: Pricing,
    @Inject(CONFIG_PRICES) private config: Readonly<Record<string, ModelPrice>>,
    private readonly stored: ModelPriceRepository,
    private readonly bus: InvalidationBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.bus.subscribe('prices', () => void this.reload().catch((e) => this.logger.error(`reload failed: ${e}`)));
    await this.reload();
  }

  /** Tells every replica (this one included) to reload the runtime prices. */
  async announce(): Promise<void> {
    await this.bus.publish('prices');
  }

  /** Every price of every table, runtime first, each table by name. */
  entries(): PriceEntry[] {
    const tables: [PriceSource, [string, ModelPrice, StoredModelPrice?][]][] = [
      ['runtime', this.runtime.map((stored) => [stored.model, toPrice(stored), stored])],
      ['config', Object.entries(this.config)],
      ['default', Object.entries(BUILT_IN_PRICES)],
    ];
    const seen = new Set<string>();
    const earlier: Record<string, ModelPrice>[] = [];
    const entries: PriceEntry[] = [];
    for (const [source, prices] of tables) {
      const before = PriceBook.layered(earlier);
      const sorted = prices.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [model, price, stored] of sorted) {
        // A name is shadowed by any earlier price that covers it (a glob included); a glob only by the same glob.
        const shadowed = model.includes('*') ? seen.has(model) : before.priceOf(model) !== undefined;
        entries.push({
          model,
          price,
          source,
          active: !shadowed,
          effectiveFrom: stored?.effectiveFrom ?? null,
          createdBy: stored?.createdBy ?? null,
        });
      }
      for (const [model] of sorted) seen.add(model);
      earlier.push(Object.fromEntries(sorted.map(([model, price]) => [model, price])));
    }
    return entries;
  }

  /** The config file's prices and `unpricedModels`, read again (SIGHUP): this replica's, as at its start. */
  useConfigPrices(
    prices: Readonly<Record<string, ModelPrice>>,
    unpricedModels: Pricing['unpricedModels'],
  ): Promise<void> {
    this.config = prices;
    this.pricing.unpricedModels = unpricedModels;
    return this.reload();
  }

  /** Reads the runtime prices and swaps in a new PriceBook; concurrent calls collapse into one more. */
  reload(): Promise<void> {
    return this.reloads.run();
  }

  private async load(): Promise<void> {
    this.runtime = await this.stored.current();
    const runtime = Object.fromEntries(this.runtime.map((stored) => [stored.model, toPrice(stored)]));
    this.pricing.prices = PriceBook.layered([runtime, this.config, BUILT_IN_PRICES]);
  }
}

function toPrice(stored: StoredModelPrice): ModelPrice {
  return {
    input: stored.input,
    output: stored.output,
    ...(stored.cachedInput !== null && { cachedInput: stored.cachedInput }),
    ...(stored.perCall !== null && { perCall: stored.perCall }),
    ...(stored.perMinute !== null && { perMinute: stored.perMinute }),
    ...(stored.perMillionCharacters !== null && { perMillionCharacters: stored.perMillionCharacters }),
  };
}
