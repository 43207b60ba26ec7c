import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../typeorm/column-types';

/**
 * Alerting: rules, notification channels (secrets sealed), the current state of each rule, its
 * history and every delivery. New tables only; the request log keeps the indexes it has
 * (`idx_request_logs_created_at` bounds every signal query to its window).
 */
export class Alerts1798000000014 implements MigrationInterface {
  name = 'Alerts1798000000014';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    const ts = columnTypes(postgres ? 'postgres' : 'sqlite').timestamp as string;
    const real = postgres ? 'double precision' : 'real';
    await runner.createTable(
      new Table({
        name: 'alert_rules',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '64', isUnique: true },
          { name: 'description', type: 'text', isNullable: true },
          { name: 'enabled', type: 'boolean' },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'scope', type: 'text' },
          { name: 'window_seconds', type: 'integer' },
          { name: 'threshold', type: real, isNullable: true },
          { name: 'percentile', type: real, isNullable: true },
          { name: 'budget_period', type: 'varchar', length: '8', isNullable: true },
          { name: 'min_requests', type: 'integer' },
          { name: 'for_seconds', type: 'integer' },
          { name: 'repeat_interval_seconds', type: 'integer' },
          { name: 'notification_channel_ids', type: 'text' },
          { name: 'created_at', type: ts },
          { name: 'updated_at', type: ts },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'notification_channels',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '64', isUnique: true },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'enabled', type: 'boolean' },
          { name: 'settings', type: 'text' },
          { name: 'secrets_encrypted', type: 'text', isNullable: true },
          { name: 'secret_hint', type: 'varchar', length: '300', isNullable: true },
          { name: 'created_at', type: ts },
          { name: 'updated_at', type: ts },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'alert_states',
        columns: [
          { name: 'rule_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'version', type: 'integer' },
          { name: 'since', type: ts, isNullable: true },
          { name: 'fired_at', type: ts, isNullable: true },
          { name: 'resolved_at', type: ts, isNullable: true },
          { name: 'last_notified_at', type: ts, isNullable: true },
          { name: 'value', type: real, isNullable: true },
          { name: 'summary', type: 'text', isNullable: true },
          { name: 'evaluated_at', type: ts },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'alert_events',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'rule_id', type: 'varchar', length: '36' },
          { name: 'rule_name', type: 'varchar', length: '64' },
          { name: 'type', type: 'varchar', length: '16' },
          { name: 'at', type: ts },
          { name: 'value', type: real, isNullable: true },
          { name: 'summary', type: 'text', isNullable: true },
        ],
      }),
    );
    // History is read newest first, overall or per rule.
    await runner.createIndex('alert_events', new TableIndex({ name: 'idx_alert_events_at', columnNames: ['at'] }));
    await runner.createIndex(
      'alert_events',
      new TableIndex({ name: 'idx_alert_events_rule_at', columnNames: ['rule_id', 'at'] }),
    );
    await runner.createTable(
      new Table({
        name: 'notification_deliveries',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'alert_event_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'rule_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'channel_id', type: 'varchar', length: '36' },
          { name: 'at', type: ts },
          { name: 'ok', type: 'boolean' },
          { name: 'attempts', type: 'integer' },
          { name: 'status_code', type: 'integer', isNullable: true },
          { name: 'response', type: 'text', isNullable: true },
          { name: 'error', type: 'text', isNullable: true },
        ],
      }),
    );
    // Deliveries are read per alert event, per rule or per channel, newest first.
    await runner.createIndex(
      'notification_deliveries',
      new TableIndex({ name: 'idx_notification_deliveries_event', columnNames: ['alert_event_id'] }),
    );
    await runner.createIndex(
      'notification_deliveries',
      new TableIndex({ name: 'idx_notification_deliveries_rule_at', columnNames: ['rule_id', 'at'] }),
    );
    await runner.createIndex(
      'notification_deliveries',
      new TableIndex({ name: 'idx_notification_deliveries_channel_at', columnNames: ['channel_id', 'at'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'notification_deliveries',
      'alert_events',
      'alert_states',
      'notification_channels',
      'alert_rules',
    ])
      await runner.dropTable(table);
  }
}
