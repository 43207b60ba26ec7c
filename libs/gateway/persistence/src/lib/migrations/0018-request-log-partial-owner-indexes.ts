import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The request-log indexes on user and team (0013) hold only the rows that have one: calls of keys
 * that belong to no user or team skip two B-trees on every logged call (8.99 → 7.84 µs a row for
 * SQLite's writer, docs/benchmark.md). The searches filter these columns with `=` and `IN` only,
 * which both stores match to a `… IS NOT NULL` partial index; nothing looks up rows where they are null.
 */
export class RequestLogPartialOwnerIndexes1798000000018 implements MigrationInterface {
  name = 'RequestLogPartialOwnerIndexes1798000000018';

  async up(runner: QueryRunner): Promise<void> {
    await this.replace(runner, 'WHERE user_id IS NOT NULL', 'WHERE team_id IS NOT NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await this.replace(runner, '', '');
  }

  private async replace(runner: QueryRunner, userWhere: string, teamWhere: string): Promise<void> {
    await runner.query('DROP INDEX idx_request_logs_user_created');
    await runner.query(`CREATE INDEX idx_request_logs_user_created ON request_logs (user_id, created_at) ${userWhere}`);
    await runner.query('DROP INDEX idx_request_logs_team_created');
    await runner.query(`CREATE INDEX idx_request_logs_team_created ON request_logs (team_id, created_at) ${teamWhere}`);
  }
}
