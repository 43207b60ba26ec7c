import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../typeorm/column-types';

/** Operators' refresh tokens, stored as SHA-256 hashes, grouped in families (one per sign-in). */
export class RefreshTokens1798000000003 implements MigrationInterface {
  name = 'RefreshTokens1798000000003';

  async up(runner: QueryRunner): Promise<void> {
    const { timestamp } = columnTypes(runner.connection.options.type === 'postgres' ? 'postgres' : 'sqlite');
    await runner.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'family_id', type: 'varchar', length: '36' },
          { name: 'token_hash', type: 'varchar', length: '64', isUnique: true },
          { name: 'expires_at', type: timestamp as string },
          { name: 'revoked_at', type: timestamp as string, isNullable: true },
          { name: 'replaced_by', type: 'varchar', length: '36', isNullable: true },
          { name: 'created_at', type: timestamp as string },
          { name: 'user_agent', type: 'varchar', length: '512', isNullable: true },
          { name: 'ip', type: 'varchar', length: '64', isNullable: true },
        ],
      }),
    );
    // Revocation goes by family (sign-out, reuse) and by user (password change); clean-up by expiry.
    await runner.createIndex(
      'refresh_tokens',
      new TableIndex({ name: 'idx_refresh_tokens_family', columnNames: ['family_id'] }),
    );
    await runner.createIndex(
      'refresh_tokens',
      new TableIndex({ name: 'idx_refresh_tokens_user', columnNames: ['user_id'] }),
    );
    await runner.createIndex(
      'refresh_tokens',
      new TableIndex({ name: 'idx_refresh_tokens_expires_at', columnNames: ['expires_at'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('refresh_tokens');
  }
}
