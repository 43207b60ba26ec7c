import { whileReverted } from '../testing/migration-revert';
import { SQL_STORES } from '../testing/store-harnesses';
import type { Store } from '../typeorm/data-source';

describe.each(SQL_STORES)('ModelPriceUnits1798000000020 on %s', (_name, makeHarness) => {
  const harness = makeHarness();
  let store: Store;
  beforeAll(async () => {
    store = await harness.open();
  });
  afterAll(async () => {
    await store?.dataSource.destroy();
    await harness.cleanup();
  });

  const insertWithUnits = () =>
    store.dataSource.query(
      `INSERT INTO model_prices (id, model, input, output, per_call, per_minute, per_million_characters, effective_from, deleted)
       VALUES ('u1', 'whisper-1', 0, 0, 0.001, 0.006, 15, '2026-12-07 10:00:00', ${store.dialect === 'postgres' ? 'false' : '0'})`,
    );

  it('keeps the unit prices, and drops their columns when reverted', async () => {
    await insertWithUnits();
    const [row] = await store.dataSource.query(
      `SELECT per_call, per_minute, per_million_characters FROM model_prices WHERE id = 'u1'`,
    );
    expect(Object.values(row).map(Number)).toEqual([0.001, 0.006, 15]);
    await whileReverted(store, 'ModelPriceUnits1798000000020', async () => {
      await expect(store.dataSource.query('SELECT per_minute FROM model_prices')).rejects.toThrow();
    });
    // Applied again: the columns are back, empty.
    expect(await store.dataSource.query(`SELECT per_minute FROM model_prices WHERE id = 'u1'`)).toEqual([
      { per_minute: null },
    ]);
  });
});
