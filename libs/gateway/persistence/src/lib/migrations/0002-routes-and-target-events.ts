import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../typeorm/column-types';

/** Routes, target state history and hand overrides, and the route decision in the request log. */
export class RoutesAndTargetEvents1798000000002 implements MigrationInterface {
  name = 'RoutesAndTargetEvents1798000000002';

  async up(runner: QueryRunner): Promise<void> {
    const { timestamp } = columnTypes(runner.connection.options.type === 'postgres' ? 'postgres' : 'sqlite');
    await runner.createTable(
      new Table({
        name: 'routes',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '200', isUnique: true },
          { name: 'strategy', type: 'varchar', length: '32' },
          { name: 'targets', type: 'text' },
          { name: 'fallbacks', type: 'text' },
          { name: 'aliases', type: 'text' },
          { name: 'retry', type: 'text', isNullable: true },
          { name: 'created_at', type: timestamp as string },
          { name: 'updated_at', type: timestamp as string },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'target_events',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'at', type: timestamp as string },
          { name: 'target_id', type: 'varchar', length: '300' },
          { name: 'channel_id', type: 'varchar', length: '36' },
          { name: 'from_state', type: 'varchar', length: '32' },
          { name: 'to_state', type: 'varchar', length: '32' },
          { name: 'cause', type: 'varchar', length: '32' },
        ],
      }),
    );
    await runner.createIndex('target_events', new TableIndex({ name: 'idx_target_events_at', columnNames: ['at'] }));
    await runner.createTable(
      new Table({
        name: 'target_overrides',
        columns: [
          { name: 'target_id', type: 'varchar', length: '300', isPrimary: true },
          { name: 'disabled', type: 'boolean' },
          { name: 'updated_at', type: timestamp as string },
        ],
      }),
    );
    await runner.addColumns('request_logs', [
      new TableColumn({ name: 'route_name', type: 'varchar', length: '200', isNullable: true }),
      new TableColumn({ name: 'attempts', type: 'integer', isNullable: true }),
    ]);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumns('request_logs', ['route_name', 'attempts']);
    await runner.dropTable('target_overrides');
    await runner.dropTable('target_events');
    await runner.dropTable('routes');
  }
}
