import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../typeorm/column-types';

/**
 * The Dify ingress (docs/dify.md#dify-as-an-ingress): conversations and their messages per gateway
 * key and Dify user, and uploaded files. New tables only; nothing on the proxy's hot path reads them.
 */
export class DifyConversations1798000000016 implements MigrationInterface {
  name = 'DifyConversations1798000000016';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    const ts = columnTypes(postgres ? 'postgres' : 'sqlite').timestamp as string;
    const owner = [
      { name: 'key_id', type: 'varchar', length: '36' },
      { name: 'end_user', type: 'varchar', length: '255' },
    ];
    await runner.createTable(
      new Table({
        name: 'dify_conversations',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          ...owner,
          { name: 'name', type: 'varchar', length: '255' },
          { name: 'inputs', type: 'text' },
          { name: 'created_at', type: ts },
          { name: 'updated_at', type: ts },
        ],
      }),
    );
    // Listed per key and user, newest activity first (the default sort).
    await runner.createIndex(
      'dify_conversations',
      new TableIndex({ name: 'idx_dify_conversations_owner', columnNames: ['key_id', 'end_user', 'updated_at'] }),
    );
    await runner.createTable(
      new Table({
        name: 'dify_messages',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'conversation_id', type: 'varchar', length: '36', isNullable: true },
          ...owner,
          { name: 'query', type: 'text' },
          { name: 'answer', type: 'text' },
          { name: 'inputs', type: 'text' },
          { name: 'files', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'error', type: 'text', isNullable: true },
          { name: 'feedback_rating', type: 'varchar', length: '16', isNullable: true },
          { name: 'feedback_content', type: 'text', isNullable: true },
          { name: 'prompt_tokens', type: 'integer', isNullable: true },
          { name: 'completion_tokens', type: 'integer', isNullable: true },
          { name: 'created_at', type: ts },
        ],
      }),
    );
    // A conversation's history is read newest first (the last N for the model, pages for the caller).
    await runner.createIndex(
      'dify_messages',
      new TableIndex({ name: 'idx_dify_messages_conversation', columnNames: ['conversation_id', 'created_at'] }),
    );
    await runner.createTable(
      new Table({
        name: 'dify_files',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          ...owner,
          { name: 'name', type: 'varchar', length: '255' },
          { name: 'size', type: 'integer' },
          { name: 'extension', type: 'varchar', length: '32' },
          { name: 'mime_type', type: 'varchar', length: '128' },
          { name: 'data', type: 'text' },
          { name: 'created_at', type: ts },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['dify_files', 'dify_messages', 'dify_conversations']) await runner.dropTable(table);
  }
}
