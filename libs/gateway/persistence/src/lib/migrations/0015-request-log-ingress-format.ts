import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The wire format the caller spoke (`anthropic`, ...) on each request-log row; null for OpenAI's,
 * the canonical one, so that existing rows and the OpenAI hot path need nothing.
 */
export class RequestLogIngressFormat1798000000015 implements MigrationInterface {
  name = 'RequestLogIngressFormat1798000000015';

  async up(runner: QueryRunner): Promise<void> {
    // Plain ALTER TABLE, as in 0011: TypeORM's addColumn would rebuild the SQLite table.
    await runner.query('ALTER TABLE request_logs ADD COLUMN ingress_format varchar(32)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE request_logs DROP COLUMN ingress_format');
  }
}
