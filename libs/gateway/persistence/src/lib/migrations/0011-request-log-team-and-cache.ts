import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The key's team and the prompt tokens served from the upstream's cache, on every request-log
 * row, so that usage rolls up per team and cached tokens are reported. Older rows have neither.
 */
export class RequestLogTeamAndCache1798000000011 implements MigrationInterface {
  name = 'RequestLogTeamAndCache1798000000011';

  async up(runner: QueryRunner): Promise<void> {
    // Plain ALTER TABLE: TypeORM's addColumn rebuilds a SQLite table from what it knows of it, and
    // it does not know the columns earlier migrations added by SQL (cost_usd would be lost).
    await runner.query('ALTER TABLE request_logs ADD COLUMN team_id varchar(36)');
    await runner.query('ALTER TABLE request_logs ADD COLUMN cached_tokens integer');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE request_logs DROP COLUMN cached_tokens');
    await runner.query('ALTER TABLE request_logs DROP COLUMN team_id');
  }
}
