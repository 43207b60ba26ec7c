import { LocalInvalidationBus } from '@synapse/gateway/cluster';
import { InMemoryModelPriceRepository } from '@synapse/gateway/persistence/testing';
import { PriceCatalog } from './price-catalog';
import { NO_PRICING, type Pricing } from './pricing';

describe(PriceCatalog.name, () => {
  it('charges runtime prices before the config file before the defaults, and reloads on an announcement', async () => {
    const pricing: Pricing = { ...NO_PRICING };
    const stored = new InMemoryModelPriceRepository();
    const bus = new LocalInvalidationBus();
    const catalog = new PriceCatalog(pricing, { 'gpt-4o*': { input: 1, output: 2 } }, stored, bus);
    await catalog.onApplicationBootstrap();
    const usage = { promptTokens: 1_000_000, completionTokens: 1_000_000 };
    expect(pricing.prices.costOf(['gpt-4o'], usage)).toBe(3);
    expect(pricing.prices.costOf(['deepseek-chat'], usage)).toBeCloseTo(0.27 + 1.1, 10);

    const book = pricing.prices;
    await stored.insert({
      id: 'p1',
      model: 'gpt-4o',
      input: 5,
      output: 20,
      cachedInput: null,
      perCall: null,
      perMinute: null,
      perMillionCharacters: null,
      effectiveFrom: new Date(),
      createdBy: 'owner@example.com',
      deleted: false,
    });
    await catalog.announce();
    await new Promise((resolve) => setImmediate(resolve));
    await catalog.reload();
    expect(pricing.prices).not.toBe(book);
    expect(pricing.prices.costOf(['gpt-4o'], usage)).toBe(25);
    expect(pricing.prices.costOf(['gpt-4o-mini'], usage)).toBe(3);

    const entries = catalog.entries().filter((entry) => entry.model === 'gpt-4o');
    expect(entries.map((entry) => [entry.source, entry.active, entry.createdBy])).toEqual([
      ['runtime', true, 'owner@example.com'],
      ['default', false, null],
    ]);
  });
});
