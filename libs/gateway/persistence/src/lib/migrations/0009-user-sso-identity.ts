import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The single sign-on identity (issuer and subject) linked to an account, so that an account is
 * linked once, on a verified email, and found by its subject afterwards. Existing accounts have
 * none: their next single sign-on links them under the rules of that moment.
 */
export class UserSsoIdentity1798000000009 implements MigrationInterface {
  name = 'UserSsoIdentity1798000000009';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumns('users', [
      new TableColumn({ name: 'sso_issuer', type: 'varchar', length: '512', isNullable: true }),
      new TableColumn({ name: 'sso_subject', type: 'varchar', length: '255', isNullable: true }),
    ]);
    // One account per identity; accounts without one (NULLs) do not collide on either store.
    await runner.createIndex(
      'users',
      new TableIndex({ name: 'idx_users_sso_identity', columnNames: ['sso_issuer', 'sso_subject'], isUnique: true }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('users', 'idx_users_sso_identity');
    await runner.dropColumns('users', ['sso_issuer', 'sso_subject']);
  }
}
