import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../typeorm/column-types';

/**
 * Indexes on request_logs for the searches of the admin API, chosen with tools/bench/store-queries
 * (docs/benchmark.md): every index is paid for by every logged call. Filters on columns with few
 * values (channel, model, route, status class) walk the time index newest first and stop after a
 * page; keys (0001), users and teams have many values, a rare one of which would walk far.
 */
const LOG_INDEXES: readonly { name: string; columns: string[] }[] = [
  // Newest first with the id as tie-breaker: unfiltered pages and every time range.
  { name: 'idx_request_logs_created_id', columns: ['created_at', 'id'] },
  // Members see their own calls: every member's search is narrowed by user.
  { name: 'idx_request_logs_user_created', columns: ['user_id', 'created_at'] },
  { name: 'idx_request_logs_team_created', columns: ['team_id', 'created_at'] },
];

/**
 * Log management: search indexes on request_logs, the captured bodies (request_bodies), and the
 * `captureBodies` switch on gateway keys and routes.
 */
export class LogSearchAndBodies1798000000013 implements MigrationInterface {
  name = 'LogSearchAndBodies1798000000013';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    const ts = columnTypes(postgres ? 'postgres' : 'sqlite').timestamp as string;
    for (const { name, columns } of LOG_INDEXES) {
      await runner.createIndex('request_logs', new TableIndex({ name, columnNames: columns }));
    }
    // Partial indexes hold only the failed calls (a few percent): errors are found without walking
    // the successes, for little write cost. Queries name `status >= 400` literally to use the first.
    await runner.query('CREATE INDEX idx_request_logs_failed ON request_logs (created_at, id) WHERE status >= 400');
    await runner.query(
      'CREATE INDEX idx_request_logs_error_class ON request_logs (error_class, created_at) WHERE error_class IS NOT NULL',
    );
    // (created_at, id) serves everything the single-column index did.
    await runner.dropIndex('request_logs', 'idx_request_logs_created_at');

    await runner.createTable(
      new Table({
        name: 'request_bodies',
        columns: [
          { name: 'request_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'created_at', type: ts },
          { name: 'request', type: 'text', isNullable: true },
          { name: 'response', type: 'text', isNullable: true },
          { name: 'request_truncated', type: 'boolean' },
          { name: 'response_truncated', type: 'boolean' },
        ],
      }),
    );
    await runner.createIndex(
      'request_bodies',
      new TableIndex({ name: 'idx_request_bodies_created_at', columnNames: ['created_at'] }),
    );
    // Plain ALTER TABLE: TypeORM's addColumn rebuilds a SQLite table and drops columns it does not know.
    const off = postgres ? 'false' : '0';
    await runner.query(`ALTER TABLE gateway_keys ADD COLUMN capture_bodies boolean NOT NULL DEFAULT ${off}`);
    await runner.query(`ALTER TABLE routes ADD COLUMN capture_bodies boolean NOT NULL DEFAULT ${off}`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE routes DROP COLUMN capture_bodies');
    await runner.query('ALTER TABLE gateway_keys DROP COLUMN capture_bodies');
    await runner.dropTable('request_bodies');
    await runner.createIndex(
      'request_logs',
      new TableIndex({ name: 'idx_request_logs_created_at', columnNames: ['created_at'] }),
    );
    await runner.query('DROP INDEX idx_request_logs_error_class');
    await runner.query('DROP INDEX idx_request_logs_failed');
    for (const { name } of LOG_INDEXES) await runner.dropIndex('request_logs', name);
  }
}
