import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../typeorm/column-types';

/**
 * Usage rollups per minute, hour and day (docs/usage-and-cost.md), the rollup job's shared state,
 * and runtime model prices with their history.
 */
export class UsageRollupsAndModelPrices1798000000012 implements MigrationInterface {
  name = 'UsageRollupsAndModelPrices1798000000012';

  async up(runner: QueryRunner): Promise<void> {
    const ts = columnTypes(runner.connection.options.type === 'postgres' ? 'postgres' : 'sqlite').timestamp as string;
    const count = (name: string) => ({ name, type: 'bigint', default: 0 });
    await runner.createTable(
      new Table({
        name: 'usage_rollups',
        columns: [
          // The key's order makes "one key's series" and "top models over a range" index range scans.
          { name: 'granularity', type: 'varchar', length: '8', isPrimary: true },
          { name: 'dimension', type: 'varchar', length: '8', isPrimary: true },
          { name: 'dimension_value', type: 'varchar', length: '64', isPrimary: true },
          { name: 'bucket_start', type: ts, isPrimary: true },
          { name: 'model', type: 'varchar', length: '200', isPrimary: true },
          count('requests'),
          count('errors'),
          count('prompt_tokens'),
          count('completion_tokens'),
          count('cached_tokens'),
          { name: 'cost_usd', type: 'double precision', default: 0 },
          count('latency_sum_ms'),
          { name: 'latency_buckets', type: 'text', default: "''" },
          count('ttft_sum_ms'),
          count('ttft_count'),
          count('generation_ms'),
          count('generation_tokens'),
        ],
      }),
    );
    // Top-N keys, users, teams or channels over a range read one dimension's buckets in that range.
    await runner.createIndex(
      'usage_rollups',
      new TableIndex({
        name: 'idx_usage_rollups_dimension_bucket',
        columnNames: ['granularity', 'dimension', 'bucket_start'],
      }),
    );
    // Retention deletes the oldest buckets of a granularity.
    await runner.createIndex(
      'usage_rollups',
      new TableIndex({ name: 'idx_usage_rollups_bucket', columnNames: ['granularity', 'bucket_start'] }),
    );
    await runner.createTable(
      new Table({
        name: 'usage_rollup_state',
        columns: [
          { name: 'name', type: 'varchar', length: '32', isPrimary: true },
          // Epoch milliseconds: compared the same way on both stores.
          { name: 'watermark_ms', type: 'bigint', isNullable: true },
          { name: 'lease_owner', type: 'varchar', length: '64', isNullable: true },
          { name: 'lease_until_ms', type: 'bigint', isNullable: true },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'model_prices',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'model', type: 'varchar', length: '200' },
          { name: 'input', type: 'double precision' },
          { name: 'output', type: 'double precision' },
          { name: 'cached_input', type: 'double precision', isNullable: true },
          { name: 'effective_from', type: ts },
          { name: 'created_by', type: 'varchar', length: '254', isNullable: true },
          { name: 'deleted', type: 'boolean', default: false },
        ],
      }),
    );
    await runner.createIndex(
      'model_prices',
      new TableIndex({ name: 'idx_model_prices_model', columnNames: ['model', 'effective_from'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['model_prices', 'usage_rollup_state', 'usage_rollups']) await runner.dropTable(table);
  }
}
