import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../typeorm/column-types';

/**
 * When each session began, carried by every refresh token of its family, so that a session ends
 * SESSION_MAX_AGE_HOURS after its sign-in however often it is refreshed. Existing families get the
 * creation time of their oldest stored token.
 */
export class RefreshTokenSessionStart1798000000010 implements MigrationInterface {
  name = 'RefreshTokenSessionStart1798000000010';

  async up(runner: QueryRunner): Promise<void> {
    const { timestamp } = columnTypes(runner.connection.options.type === 'postgres' ? 'postgres' : 'sqlite');
    // Nullable: a replica of the previous version may still insert rows during a rolling upgrade.
    await runner.addColumn(
      'refresh_tokens',
      new TableColumn({ name: 'session_started_at', type: timestamp as string, isNullable: true }),
    );
    await runner.query(
      `UPDATE refresh_tokens SET session_started_at =
         (SELECT MIN(oldest.created_at) FROM refresh_tokens oldest WHERE oldest.family_id = refresh_tokens.family_id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('refresh_tokens', 'session_started_at');
  }
}
