import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Per-key limits (requests and tokens per minute, concurrent requests) as one JSON value. */
export class GatewayKeyLimits1798000000005 implements MigrationInterface {
  name = 'GatewayKeyLimits1798000000005';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('gateway_keys', new TableColumn({ name: 'limits', type: 'text', isNullable: true }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('gateway_keys', 'limits');
  }
}
