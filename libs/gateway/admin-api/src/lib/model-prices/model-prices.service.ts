import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { GqlErrors, type AuthenticatedUser } from '@synapse/gateway/auth';
import { NOTHING_PRICED, pricesSomething } from '@synapse/gateway/config';
import { ModelPriceRepository, type StoredModelPrice } from '@synapse/gateway/persistence';
import { PriceCatalog } from '@synapse/gateway/proxy';
import { Serial } from '../common/serial';
import type { SetModelPriceInput } from './dto/set-model-price.input';
import type { ModelPrice } from './models/model-price.model';
import type { ModelPriceChange } from './models/model-price-change.model';

const MODEL = /^[\w.:/@*+-]{1,200}$/;
/** A sanity bound: no model costs more than $10,000 per million tokens (or per call, minute, million characters). */
const MAX_PRICE = 10_000;
const PER_MILLION_TOKENS = 'per million tokens';
/** A deletion's entry: no price of any kind. */
const NO_PRICE = {
  input: 0,
  output: 0,
  cachedInput: null,
  perCall: null,
  perMinute: null,
  perMillionCharacters: null,
} as const;

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
      perCall: entry.price.perCall ?? null,
      perMinute: entry.price.perMinute ?? null,
      perMillionCharacters: entry.price.perMillionCharacters ?? null,
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
    const optional = (field: keyof SetModelPriceInput & keyof StoredModelPrice, unit: string) => {
      const value = input[field] as number | null | undefined;
      return value == null ? null : checkPrice(field, value, unit);
    };
    const change = {
      input: optional('input', PER_MILLION_TOKENS),
      output: optional('output', PER_MILLION_TOKENS),
      cachedInput: optional('cachedInput', PER_MILLION_TOKENS),
      perCall: optional('perCall', 'per call'),
      perMinute: optional('perMinute', 'per minute of audio'),
      perMillionCharacters: optional('perMillionCharacters', 'per million characters'),
    };
    if (!pricesSomething(change)) throw GqlErrors.badUserInput(`A price must charge something: ${NOTHING_PRICED}.`);
    return this.serial.run(async () => {
      await this.record(
        { model, ...change, input: change.input ?? 0, output: change.output ?? 0, deleted: false },
        user,
      );
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
      return this.record({ model: name, ...NO_PRICE, deleted: true }, user);
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

function checkPrice(field: string, value: number, unit: string): number {
  if (!Number.isFinite(value) || value < 0 || value > MAX_PRICE) {
    throw GqlErrors.badUserInput(`${field}: USD ${unit}, from 0 to ${MAX_PRICE}.`);
  }
  return value;
}
