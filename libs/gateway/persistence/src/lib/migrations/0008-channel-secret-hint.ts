import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The last characters of a channel's upstream key, so that the admin API shows which key is set
 * without decrypting. Existing rows cannot be filled here (that needs the master key): the gateway
 * fills them at its next start (ProvisioningService) and on every save.
 */
export class ChannelSecretHint1798000000008 implements MigrationInterface {
  name = 'ChannelSecretHint1798000000008';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn(
      'channels',
      new TableColumn({ name: 'api_key_hint', type: 'varchar', length: '16', isNullable: true }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('channels', 'api_key_hint');
  }
}
