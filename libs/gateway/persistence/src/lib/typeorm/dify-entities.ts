import { EntitySchema } from 'typeorm';
import type { DifyConversation, DifyMessage, DifyUploadedFile } from '../models/dify-conversation';
import type { columnTypes } from './column-types';

/** The Dify ingress's conversations, messages and uploads (migration 0016). */
export function difyEntities(timestamp: ReturnType<typeof columnTypes>['timestamp']) {
  const difyConversation = new EntitySchema<DifyConversation>({
    name: 'DifyConversation',
    tableName: 'dify_conversations',
    columns: {
      id: { type: 'varchar', length: 36, primary: true },
      keyId: { type: 'varchar', length: 36, name: 'key_id' },
      endUser: { type: 'varchar', length: 255, name: 'end_user' },
      name: { type: 'varchar', length: 255 },
      inputs: { type: 'simple-json' },
      createdAt: { type: timestamp, name: 'created_at' },
      updatedAt: { type: timestamp, name: 'updated_at' },
    },
  });
  const difyMessage = new EntitySchema<DifyMessage>({
    name: 'DifyMessage',
    tableName: 'dify_messages',
    columns: {
      id: { type: 'varchar', length: 36, primary: true },
      conversationId: { type: 'varchar', length: 36, name: 'conversation_id', nullable: true },
      keyId: { type: 'varchar', length: 36, name: 'key_id' },
      endUser: { type: 'varchar', length: 255, name: 'end_user' },
      query: { type: 'text' },
      answer: { type: 'text' },
      inputs: { type: 'simple-json' },
      files: { type: 'simple-json' },
      status: { type: 'varchar', length: 16 },
      error: { type: 'text', nullable: true },
      feedbackRating: { type: 'varchar', length: 16, name: 'feedback_rating', nullable: true },
      feedbackContent: { type: 'text', name: 'feedback_content', nullable: true },
      promptTokens: { type: 'integer', name: 'prompt_tokens', nullable: true },
      completionTokens: { type: 'integer', name: 'completion_tokens', nullable: true },
      createdAt: { type: timestamp, name: 'created_at' },
    },
  });
  const difyFile = new EntitySchema<DifyUploadedFile>({
    name: 'DifyFile',
    tableName: 'dify_files',
    columns: {
      id: { type: 'varchar', length: 36, primary: true },
      keyId: { type: 'varchar', length: 36, name: 'key_id' },
      endUser: { type: 'varchar', length: 255, name: 'end_user' },
      name: { type: 'varchar', length: 255 },
      size: { type: 'integer' },
      extension: { type: 'varchar', length: 32 },
      mimeType: { type: 'varchar', length: 128, name: 'mime_type' },
      data: { type: 'text' },
      createdAt: { type: timestamp, name: 'created_at' },
    },
  });
  return { difyConversation, difyMessage, difyFile };
}
