import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../typeorm/column-types';

/** Indexes on request_logs for the searches of the admin API (each one measured by tools/bench). */
const LOG_INDEXES: readonly { name: string; columns: string[] }[] = [
  // Newest first with the id as tie-breaker: unfiltered pages and every time range.
  { name: 'idx_request_logs_created_id', columns: ['created_at', 'id'] },
  { name: 'idx_request_logs_user_created', columns: ['user_id', 'created_at'] },
  { name: 'idx_request_logs_team_created', columns: ['team_id', 'created_at'] },
  { name: 'idx_request_logs_channel_created', columns: ['channel_id', 'created_at'] },
  { name: 'idx_request_logs_model_created', columns: ['requested_model', 'created_at'] },
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
    // Only failed calls: a small index that finds errors without walking the successes.
    await runner.query('CREATE INDEX idx_request_logs_failed ON request_logs (created_at, id) WHERE status >= 400');
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
    await runner.query('DROP INDEX idx_request_logs_failed');
    for (const { name } of LOG_INDEXES) await runner.dropIndex('request_logs', name);
  }
}
