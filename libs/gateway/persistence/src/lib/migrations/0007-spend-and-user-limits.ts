import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The cost of each logged call (for budgets and their restart seeding) and per-user limits as one JSON value. */
export class SpendAndUserLimits1798000000007 implements MigrationInterface {
  name = 'SpendAndUserLimits1798000000007';

  async up(runner: QueryRunner): Promise<void> {
    // Plain ALTER TABLE on both stores: TypeORM's addColumn rebuilds a SQLite table, and request_logs can be large.
    await runner.query('ALTER TABLE request_logs ADD COLUMN cost_usd double precision');
    await runner.query('ALTER TABLE users ADD COLUMN limits text');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('users', 'limits');
    await runner.dropColumn('request_logs', 'cost_usd');
  }
}
