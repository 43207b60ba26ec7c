import type { MigrationInterface, QueryRunner } from 'typeorm';

const COLUMNS = ['per_call', 'per_minute', 'per_million_characters'];

/**
 * Runtime prices for what is not billed by tokens: per call, per minute of audio, per million
 * characters of text to speech. Null on existing rows: those prices count tokens only.
 */
export class ModelPriceUnits1798000000020 implements MigrationInterface {
  name = 'ModelPriceUnits1798000000020';

  async up(runner: QueryRunner): Promise<void> {
    // Plain ALTER TABLE, as in 0011: TypeORM's addColumn would rebuild the SQLite table.
    for (const column of COLUMNS) await runner.query(`ALTER TABLE model_prices ADD COLUMN ${column} double precision`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const column of COLUMNS) await runner.query(`ALTER TABLE model_prices DROP COLUMN ${column}`);
  }
}
