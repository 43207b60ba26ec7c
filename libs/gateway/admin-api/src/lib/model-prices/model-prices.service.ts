import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { GqlErrors, type AuthenticatedUser } from '@synapse/gateway/auth';
import { ModelPriceRepository, type StoredModelPrice } from '@synapse/gateway/persistence';
import { PriceCatalog } from '@synapse/gateway/proxy';
import { Serial } from '../common/serial';
import type { SetModelPriceInput } from './dto/set-model-price.input';
import type { ModelPrice } from './models/model-price.model';
import type { ModelPriceChange } from './models/model-price-change.model';

const MODEL = /^[\w.:/@*+-]{1,200}$/;
/** A sanity bound: no model costs more than $10,000 per million tokens. */
const MAX_PRICE = 10_000;

/**
 * Runtime model prices: each change is a new history entry (so old entries explain old costs),
 * and every replica's PriceCatalog reloads on the `prices` announcement. Costs already logged
 * keep what they were computed with at call time.
 */
@Injectable()
export class ModelPricesService {
  private readonly serial = new Serial();

  constructor(
    private readonly stored: ModelPriceRepository,
    private readonly catalog: PriceCatalog,
  ) {}

  list(): ModelPrice[] {
    return this.catalog.entries().map((entry) => ({
      model: entry.model,
      input: entry.price.input,
      output: entry.price.output,
      cachedInput: entry.price.cachedInput ?? null,
      source: entry.source,
      active: entry.active,
      effectiveFrom: entry.effectiveFrom,
      createdBy: entry.createdBy,
    }));
  }

  async history(model: string): Promise<ModelPriceChange[]> {
    return this.stored.history(checkModel(model));
  }

  set(input: SetModelPriceInput, user: AuthenticatedUser): Promise<ModelPrice> {
    const model = checkModel(input.model);
    const change = {
      input: checkPrice('input', input.input),
      output: checkPrice('output', input.output),
      cachedInput: input.cachedInput == null ? null : checkPrice('cachedInput', input.cachedInput),
    };
    return this.serial.run(async () => {
      await this.record({ model, ...change, deleted: false }, user);
      const entry = this.list().find((price) => price.model === model && price.source === 'runtime');
      if (!entry) throw new Error(`the runtime price of ${model} did not load`);
      return entry;
    });
  }

  remove(model: string, user: AuthenticatedUser): Promise<ModelPriceChange> {
    const name = checkModel(model);
    return this.serial.run(async () => {
      const [current] = await this.stored.history(name);
      if (!current || current.deleted) throw GqlErrors.notFound(`'${name}' has no runtime price.`);
      return this.record({ model: name, input: 0, output: 0, cachedInput: null, deleted: true }, user);
    });
  }

  private async record(
    change: Omit<StoredModelPrice, 'id' | 'effectiveFrom' | 'createdBy'>,
    user: AuthenticatedUser,
  ): Promise<StoredModelPrice> {
    const entry: StoredModelPrice = { id: randomUUID(), effectiveFrom: new Date(), createdBy: user.email, ...change };
    await this.stored.insert(entry);
    // This replica at once (the answer shows the new price), the others through the bus.
    await this.catalog.reload();
    await this.catalog.announce();
    return entry;
  }
}

function checkModel(model: string): string {
  const name = model.trim();
  if (!MODEL.test(name)) {
    throw GqlErrors.badUserInput('model: 1-200 characters, letters, digits and . _ - : / @ + *');
  }
  return name;
}

function checkPrice(field: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > MAX_PRICE) {
    throw GqlErrors.badUserInput(`${field}: USD per million tokens, from 0 to ${MAX_PRICE}.`);
  }
  return value;
}
