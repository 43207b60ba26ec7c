import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { columnTypes } from '../typeorm/column-types';

/** Written with TypeORM's table builder, so one migration creates the same schema on SQLite and PostgreSQL. */
export class InitialSchema1798000000001 implements MigrationInterface {
  name = 'InitialSchema1798000000001';

  async up(runner: QueryRunner): Promise<void> {
    const { timestamp } = columnTypes(runner.connection.options.type === 'postgres' ? 'postgres' : 'sqlite');
    const id: TableColumnOptions = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
    const audit: TableColumnOptions[] = [
      { name: 'created_at', type: timestamp as string },
      { name: 'updated_at', type: timestamp as string },
    ];

    await runner.createTable(
      new Table({
        name: 'channels',
        columns: [
          id,
          { name: 'name', type: 'varchar', length: '64', isUnique: true },
          { name: 'type', type: 'varchar', length: '32' },
          { name: 'base_url', type: 'text' },
          { name: 'api_key_encrypted', type: 'text', isNullable: true },
          { name: 'models', type: 'text' },
          { name: 'enabled', type: 'boolean' },
          { name: 'headers', type: 'text' },
          { name: 'timeouts', type: 'text' },
          ...audit,
        ],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'users',
        columns: [
          id,
          { name: 'email', type: 'varchar', length: '254', isUnique: true },
          { name: 'name', type: 'varchar', length: '200', isNullable: true },
          { name: 'role', type: 'varchar', length: '32' },
          { name: 'password_hash', type: 'text', isNullable: true },
          ...audit,
        ],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'gateway_keys',
        columns: [
          id,
          { name: 'name', type: 'varchar', length: '64', isUnique: true },
          { name: 'prefix', type: 'varchar', length: '16' },
          { name: 'hash', type: 'varchar', length: '64', isUnique: true },
          { name: 'models', type: 'text' },
          { name: 'enabled', type: 'boolean' },
          { name: 'expires_at', type: timestamp as string, isNullable: true },
          { name: 'user_id', type: 'varchar', length: '36', isNullable: true },
          ...audit,
        ],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'request_logs',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'created_at', type: timestamp as string },
          { name: 'endpoint', type: 'varchar', length: '32' },
          { name: 'key_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'user_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'requested_model', type: 'varchar', length: '200', isNullable: true },
          { name: 'channel_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'upstream_model', type: 'varchar', length: '200', isNullable: true },
          { name: 'stream', type: 'boolean' },
          { name: 'status', type: 'integer' },
          { name: 'latency_ms', type: 'integer' },
          { name: 'ttft_ms', type: 'integer', isNullable: true },
          { name: 'prompt_tokens', type: 'integer', isNullable: true },
          { name: 'completion_tokens', type: 'integer', isNullable: true },
          { name: 'total_tokens', type: 'integer', isNullable: true },
          { name: 'usage_source', type: 'varchar', length: '16', isNullable: true },
          { name: 'error_class', type: 'varchar', length: '64', isNullable: true },
          { name: 'error_message', type: 'text', isNullable: true },
        ],
      }),
    );
    await runner.createIndex(
      'request_logs',
      new TableIndex({ name: 'idx_request_logs_created_at', columnNames: ['created_at'] }),
    );
    await runner.createIndex(
      'request_logs',
      new TableIndex({ name: 'idx_request_logs_key_created', columnNames: ['key_id', 'created_at'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['request_logs', 'gateway_keys', 'users', 'channels']) await runner.dropTable(table);
  }
}
