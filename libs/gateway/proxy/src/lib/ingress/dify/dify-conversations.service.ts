import { Injectable } from '@nestjs/common';
import {
  DifyConversationRepository,
  type DifyConversation,
  type DifyConversationSort,
  type DifyMessage,
} from '@synapse/gateway/persistence';
import { checkedDifyUser, isUuid } from '@synapse/gateway/providers';
import { conversationName } from './dify-conversation-name';
import { DifyErrors } from './dify.ingress';
import { DifyWriteBarrier } from './dify-write-barrier';

/** The end user of listing and renaming calls without `user`, as Dify defaults it. */
export const DIFY_DEFAULT_USER = 'DEFAULT-USER';

const SORTS: readonly DifyConversationSort[] = ['created_at', '-created_at', 'updated_at', '-updated_at'];

const seconds = (date: Date) => Math.floor(new Date(date).getTime() / 1000);

/** `user` where Dify makes it optional. */
export function optionalUser(value: unknown): string {
  return typeof value === 'string' && value.trim() !== '' ? checkedDifyUser(value) : DIFY_DEFAULT_USER;
}

function limitOf(value: string | null): number {
  if (value === null || value === '') return 20;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw DifyErrors.invalidParam('limit must be a whole number from 1 to 100.', 'limit');
  }
  return limit;
}

function uuidParam(value: string | null, name: string): string | undefined {
  if (value === null || value === '') return undefined;
  if (!isUuid(value)) throw DifyErrors.invalidParam(`${name} must be a UUID.`, name);
  return value;
}

function conversationView(c: DifyConversation): object {
  return {
    id: c.id,
    name: c.name,
    inputs: c.inputs,
    status: 'normal',
    introduction: '',
    created_at: seconds(c.createdAt),
    updated_at: seconds(c.updatedAt),
  };
}

function messageView(m: DifyMessage): object {
  return {
    id: m.id,
    conversation_id: m.conversationId,
    parent_message_id: null,
    inputs: m.inputs,
    query: m.query,
    answer: m.answer,
    status: m.status,
    error: m.error,
    message_files: m.files.map((f) => ({
      id: f['upload_file_id'] ?? null,
      type: f['type'],
      url: f['url'] ?? null,
      belongs_to: 'user',
    })),
    feedback: m.feedbackRating ? { rating: m.feedbackRating } : null,
    retriever_resources: [],
    agent_thoughts: [],
    message_tokens: m.promptTokens ?? 0,
    answer_tokens: m.completionTokens ?? 0,
    created_at: seconds(m.createdAt),
  };
}

/**
 * The history endpoints of a gateway-backed app, on the conversations the gateway keeps per key
 * and Dify user. Each waits for the scope's turn writes still in flight, so a caller reads what it
 * was just answered.
 */
@Injectable()
export class DifyConversationsService {
  constructor(
    private readonly store: DifyConversationRepository,
    private readonly writes: DifyWriteBarrier,
  ) {}

  async list(keyId: string, query: URLSearchParams): Promise<object> {
    const user = optionalUser(query.get('user'));
    const limit = limitOf(query.get('limit'));
    const sortBy = (query.get('sort_by') || '-updated_at') as DifyConversationSort;
    if (!SORTS.includes(sortBy))
      throw DifyErrors.invalidParam(`sort_by must be one of ${SORTS.join(', ')}.`, 'sort_by');
    // dify-client 2.3.2 sends the cursor as first_id; the API reads last_id.
    const lastId = uuidParam(query.get('last_id') || query.get('first_id'), 'last_id');
    await this.writes.settled(keyId, user);
    const page = await this.store.conversations(keyId, user, { lastId, limit, sortBy });
    return { limit, has_more: page.hasMore, data: page.data.map(conversationView) };
  }

  async messages(keyId: string, query: URLSearchParams): Promise<object> {
    const user = optionalUser(query.get('user'));
    const conversationId = uuidParam(query.get('conversation_id'), 'conversation_id');
    if (!conversationId) throw DifyErrors.invalidParam('conversation_id is required', 'conversation_id');
    const limit = limitOf(query.get('limit'));
    const firstId = uuidParam(query.get('first_id'), 'first_id');
    await this.writes.settled(keyId, user);
    const page = await this.store.messages(keyId, user, conversationId, { firstId, limit });
    if (!page) throw DifyErrors.conversationNotFound();
    return { limit, has_more: page.hasMore, data: page.data.map(messageView) };
  }

  /** `name`, or with `auto_generate` a title from the conversation's first query. */
  async rename(keyId: string, id: string, body: Record<string, unknown>): Promise<object> {
    const user = optionalUser(body['user']);
    if (!isUuid(id)) throw DifyErrors.conversationNotFound();
    await this.writes.settled(keyId, user);
    let name = typeof body['name'] === 'string' ? body['name'].trim() : '';
    if (body['auto_generate'] === true) {
      const first = await this.store.messages(keyId, user, id, { limit: 100 });
      if (!first) throw DifyErrors.conversationNotFound();
      name = conversationName(first.data[0]?.query ?? '');
    } else if (name === '') {
      throw DifyErrors.invalidParam('name is required when auto_generate is false.', 'name');
    }
    const renamed = await this.store.rename(keyId, user, id, name.slice(0, 255));
    if (!renamed) throw DifyErrors.conversationNotFound();
    return conversationView(renamed);
  }

  async delete(keyId: string, id: string, body: Record<string, unknown>): Promise<void> {
    const user = optionalUser(body['user']);
    if (!isUuid(id)) throw DifyErrors.conversationNotFound();
    await this.writes.settled(keyId, user);
    if (!(await this.store.delete(keyId, user, id))) throw DifyErrors.conversationNotFound();
  }

  async feedback(keyId: string, messageId: string, body: Record<string, unknown>): Promise<object> {
    const user = optionalUser(body['user']);
    const rating = body['rating'] ?? null;
    if (rating !== null && rating !== 'like' && rating !== 'dislike') {
      throw DifyErrors.invalidParam('rating must be like, dislike or null.', 'rating');
    }
    const content = typeof body['content'] === 'string' ? body['content'] : null;
    if (!isUuid(messageId)) throw DifyErrors.messageNotFound();
    await this.writes.settled(keyId, user);
    if (!(await this.store.feedback(keyId, user, messageId, rating, content))) throw DifyErrors.messageNotFound();
    return { result: 'success' };
  }
}
