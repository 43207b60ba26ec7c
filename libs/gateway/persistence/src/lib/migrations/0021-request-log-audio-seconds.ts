import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The seconds of audio a call was billed by (whisper's reported length, an uploaded file's or the
 * speech relayed, as the gateway measured them) on each request-log row; null for every other call,
 * so that existing rows and the chat path need nothing.
 */
export class RequestLogAudioSeconds1798000000021 implements MigrationInterface {
  name = 'RequestLogAudioSeconds1798000000021';

  async up(runner: QueryRunner): Promise<void> {
    // Plain ALTER TABLE, as in 0011: TypeORM's addColumn would rebuild the SQLite table.
    await runner.query('ALTER TABLE request_logs ADD COLUMN audio_seconds integer');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE request_logs DROP COLUMN audio_seconds');
  }
}
