import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../typeorm/column-types';

const COLUMNS = ['previous_hash', 'previous_valid_until', 'revoked_at', 'endpoints', 'ip_allow'];

/** Gateway key rotation (the previous hash and its grace period), revocation, endpoint and address allow-lists. */
export class GatewayKeyLifecycle1798000000004 implements MigrationInterface {
  name = 'GatewayKeyLifecycle1798000000004';

  async up(runner: QueryRunner): Promise<void> {
    const { timestamp } = columnTypes(runner.connection.options.type === 'postgres' ? 'postgres' : 'sqlite');
    await runner.addColumns('gateway_keys', [
      new TableColumn({ name: 'previous_hash', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'previous_valid_until', type: timestamp as string, isNullable: true }),
      new TableColumn({ name: 'revoked_at', type: timestamp as string, isNullable: true }),
      // JSON lists; null means no restriction.
      new TableColumn({ name: 'endpoints', type: 'text', isNullable: true }),
      new TableColumn({ name: 'ip_allow', type: 'text', isNullable: true }),
    ]);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumns('gateway_keys', COLUMNS);
  }
}
