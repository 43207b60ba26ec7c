import type { Repository } from 'typeorm';
import type { StoredModelPrice } from '../models/model-price';
import { ModelPriceRepository } from '../usage-repositories';
import type { Store } from './data-source';

export class TypeOrmModelPriceRepository extends ModelPriceRepository {
  private readonly rows: Repository<StoredModelPrice>;

  constructor(store: Store) {
    super();
    this.rows = store.dataSource.getRepository(store.entities.modelPrice);
  }

  async insert(price: StoredModelPrice): Promise<void> {
    await this.rows.insert(price);
  }

  async current(): Promise<StoredModelPrice[]> {
    // Runtime prices are few (one row per change): read them all and keep each model's newest.
    const all = await this.rows.find({ order: { effectiveFrom: 'DESC', id: 'DESC' } });
    return newestPerModel(all.map(normalise));
  }

  async history(model: string): Promise<StoredModelPrice[]> {
    const rows = await this.rows.find({ where: { model }, order: { effectiveFrom: 'DESC', id: 'DESC' } });
    return rows.map(normalise);
  }
}

/** The newest entry of each model (entries come newest first), without the deleted ones, by model name. */
export function newestPerModel(newestFirst: readonly StoredModelPrice[]): StoredModelPrice[] {
  const newest = new Map<string, StoredModelPrice>();
  for (const price of newestFirst) if (!newest.has(price.model)) newest.set(price.model, price);
  return [...newest.values()].filter((price) => !price.deleted).sort((a, b) => (a.model < b.model ? -1 : 1));
}

function normalise(row: StoredModelPrice): StoredModelPrice {
  return {
    ...row,
    input: Number(row.input),
    output: Number(row.output),
    cachedInput: orNull(row.cachedInput),
    perCall: orNull(row.perCall),
    perMinute: orNull(row.perMinute),
    perMillionCharacters: orNull(row.perMillionCharacters),
    deleted: Boolean(row.deleted),
  };
}

/** PostgreSQL's driver may hand numbers as strings; a missing price stays null. */
function orNull(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}
