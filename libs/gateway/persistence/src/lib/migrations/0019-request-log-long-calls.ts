import type { MigrationInterface, QueryRunner } from 'typeorm';
import { LONG_CALL_MS } from '../alert-repositories';

/**
 * The calls that lasted LONG_CALL_MS or more, by time: alert rules read them again each round,
 * since their rows can arrive after their minute was kept. A partial index holds only them, so
 * the ordinary call's write skips it and the read walks a few rows instead of the window.
 */
export class RequestLogLongCalls1798000000019 implements MigrationInterface {
  name = 'RequestLogLongCalls1798000000019';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX idx_request_logs_long_calls ON request_logs (created_at) WHERE latency_ms >= ${LONG_CALL_MS}`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX idx_request_logs_long_calls');
  }
}
