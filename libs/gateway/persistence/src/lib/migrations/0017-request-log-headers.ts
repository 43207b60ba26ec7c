import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The caller's request headers that identify its client (user agent, SDK, API version; never a
 * credential) on each request-log row, as JSON text; null for rows logged before.
 */
export class RequestLogHeaders1798000000017 implements MigrationInterface {
  name = 'RequestLogHeaders1798000000017';

  async up(runner: QueryRunner): Promise<void> {
    // Plain ALTER TABLE, as in 0011: TypeORM's addColumn would rebuild the SQLite table.
    await runner.query('ALTER TABLE request_logs ADD COLUMN request_headers text');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE request_logs DROP COLUMN request_headers');
  }
}
