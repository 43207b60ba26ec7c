import { whileReverted } from '../testing/migration-revert';
import { SQL_STORES, storeForSuite } from '../testing/store-harnesses';

describe.each(SQL_STORES)('ModelPriceUnits1798000000020 on %s', (_name, makeHarness) => {
  const opened = storeForSuite(makeHarness);

  const insertWithUnits = () =>
    opened().dataSource.query(
      `INSERT INTO model_prices (id, model, input, output, per_call, per_minute, per_million_characters, effective_from, deleted)
       VALUES ('u1', 'whisper-1', 0, 0, 0.001, 0.006, 15, '2026-12-07 10:00:00', ${opened().dialect === 'postgres' ? 'false' : '0'})`,
    );

  it('keeps the unit prices, and drops their columns when reverted', async () => {
    await insertWithUnits();
    const [row] = await opened().dataSource.query(
      `SELECT per_call, per_minute, per_million_characters FROM model_prices WHERE id = 'u1'`,
    );
    expect(Object.values(row).map(Number)).toEqual([0.001, 0.006, 15]);
    await whileReverted(opened(), 'ModelPriceUnits1798000000020', async () => {
      await expect(opened().dataSource.query('SELECT per_minute FROM model_prices')).rejects.toThrow();
    });
    // Applied again: the columns are back, empty.
    expect(await opened().dataSource.query(`SELECT per_minute FROM model_prices WHERE id = 'u1'`)).toEqual([
      { per_minute: null },
    ]);
  });
});
