import { randomUUID } from 'node:crypto';
import type { StoredModelPrice } from '../../models/model-price';
import type { ModelPriceRepository } from '../../usage-repositories';
import type { ContractStore } from './contract-harness';

function price(model: string, minute: number, overrides: Partial<StoredModelPrice> = {}): StoredModelPrice {
  return {
    id: randomUUID(),
    model,
    input: 1.25,
    output: 10,
    cachedInput: null,
    perCall: null,
    perMinute: null,
    perMillionCharacters: null,
    effectiveFrom: new Date(Date.UTC(2026, 4, 1, 10, minute)),
    createdBy: 'owner@example.com',
    deleted: false,
    ...overrides,
  };
}

export function modelPriceContract(store: ContractStore<{ modelPrices: ModelPriceRepository }>): void {
  it("keeps every change and answers each model's newest one, without deleted models", async () => {
    const repo = store.repos.modelPrices;
    const first = price('gpt-4o', 1, { input: 2.5, output: 10, cachedInput: 1.25 });
    const second = price('gpt-4o', 2, { input: 3, output: 12 });
    const glob = price('claude-*', 1, { createdBy: null });
    const gone = price('old-model', 1);
    const units = price('whisper-1', 1, {
      input: 0,
      output: 0,
      perCall: 0.001,
      perMinute: 0.006,
      perMillionCharacters: 15,
    });
    const deletion = price('old-model', 3, { deleted: true, input: 0, output: 0 });
    for (const entry of [second, glob, first, gone, deletion, units]) await repo.insert(entry);

    expect(await repo.current()).toEqual([glob, second, units]);
    expect(await repo.history('whisper-1')).toEqual([units]);
    expect(await repo.history('gpt-4o')).toEqual([second, first]);
    expect(await repo.history('old-model')).toEqual([deletion, gone]);
    expect(await repo.history('nothing')).toEqual([]);
    await expect(repo.insert(first)).rejects.toThrow();
  });
}
