import type { StoredModelPrice } from '../../models/model-price';
import { newestPerModel } from '../../typeorm/typeorm-model-price.repository';
import { ModelPriceRepository } from '../../usage-repositories';
import { storedCopy } from './stored-copy';

/** Model price history in memory, newest first as the SQL stores order it. */
export class InMemoryModelPriceRepository extends ModelPriceRepository {
  readonly prices: StoredModelPrice[] = [];

  async insert(price: StoredModelPrice): Promise<void> {
    if (this.prices.some((stored) => stored.id === price.id))
      throw new Error('UNIQUE constraint failed: model_prices.id');
    this.prices.push(storedCopy(price));
  }

  async current(): Promise<StoredModelPrice[]> {
    return newestPerModel(this.newestFirst()).map(storedCopy);
  }

  async history(model: string): Promise<StoredModelPrice[]> {
    return this.newestFirst()
      .filter((price) => price.model === model)
      .map(storedCopy);
  }

  private newestFirst(): StoredModelPrice[] {
    return [...this.prices].sort(
      (a, b) => b.effectiveFrom.getTime() - a.effectiveFrom.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
  }
}
