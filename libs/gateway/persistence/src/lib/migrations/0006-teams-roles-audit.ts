import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../typeorm/column-types';

/** Teams and their members, keys owned by a team, custom roles, and the audit trail. */
export class TeamsRolesAudit1798000000006 implements MigrationInterface {
  name = 'TeamsRolesAudit1798000000006';

  async up(runner: QueryRunner): Promise<void> {
    const { timestamp } = columnTypes(runner.connection.options.type === 'postgres' ? 'postgres' : 'sqlite');
    const ts = timestamp as string;
    await runner.createTable(
      new Table({
        name: 'teams',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '64', isUnique: true },
          { name: 'description', type: 'text', isNullable: true },
          { name: 'limits', type: 'text', isNullable: true },
          { name: 'created_at', type: ts },
          { name: 'updated_at', type: ts },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'team_members',
        columns: [
          { name: 'team_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'created_at', type: ts },
        ],
      }),
    );
    // A user's teams are looked up when the user is deleted.
    await runner.createIndex(
      'team_members',
      new TableIndex({ name: 'idx_team_members_user', columnNames: ['user_id'] }),
    );
    await runner.addColumn(
      'gateway_keys',
      new TableColumn({ name: 'team_id', type: 'varchar', length: '36', isNullable: true }),
    );
    await runner.createTable(
      new Table({
        name: 'roles',
        columns: [
          { name: 'name', type: 'varchar', length: '32', isPrimary: true },
          { name: 'description', type: 'text' },
          { name: 'rules', type: 'text' },
          { name: 'created_at', type: ts },
          { name: 'updated_at', type: ts },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'at', type: ts },
          { name: 'actor_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'actor_email', type: 'varchar', length: '254', isNullable: true },
          { name: 'ip', type: 'varchar', length: '64', isNullable: true },
          { name: 'action', type: 'varchar', length: '100' },
          { name: 'subject', type: 'varchar', length: '64', isNullable: true },
          { name: 'subject_id', type: 'varchar', length: '300', isNullable: true },
          { name: 'outcome', type: 'varchar', length: '16' },
          { name: 'detail', type: 'text', isNullable: true },
          { name: 'changes', type: 'text', isNullable: true },
          { name: 'request_id', type: 'varchar', length: '64', isNullable: true },
        ],
      }),
    );
    // The trail is read newest first, by actor, or by action.
    await runner.createIndex('audit_events', new TableIndex({ name: 'idx_audit_events_at', columnNames: ['at'] }));
    await runner.createIndex(
      'audit_events',
      new TableIndex({ name: 'idx_audit_events_actor', columnNames: ['actor_id', 'at'] }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('audit_events');
    await runner.dropTable('roles');
    await runner.dropColumn('gateway_keys', 'team_id');
    await runner.dropTable('team_members');
    await runner.dropTable('teams');
  }
}
