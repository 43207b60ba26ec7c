import { Brackets, type Repository, type SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  DifyConversationRepository,
  type DifyConversationSort,
  type DifyPage,
  type DifyTurnRecord,
} from '../dify-repositories';
import type { DifyConversation, DifyMessage, DifyRating, DifyUploadedFile } from '../models/dify-conversation';
import type { Store } from './data-source';
import { sqliteDatetime } from './sqlite-datetime';

export class TypeOrmDifyConversationRepository extends DifyConversationRepository {
  private readonly conversationRows: Repository<DifyConversation>;
  private readonly messageRows: Repository<DifyMessage>;
  private readonly fileRows: Repository<DifyUploadedFile>;

  constructor(private readonly store: Store) {
    super();
    this.conversationRows = store.dataSource.getRepository(store.entities.difyConversation);
    this.messageRows = store.dataSource.getRepository(store.entities.difyMessage);
    this.fileRows = store.dataSource.getRepository(store.entities.difyFile);
  }

  async history(keyId: string, endUser: string, conversationId: string, limit: number) {
    const conversation = await this.conversationRows.findOneBy({ id: conversationId, keyId, endUser });
    if (!conversation) return null;
    const newestFirst = await this.messageRows.find({
      where: { conversationId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
    return { conversation, messages: newestFirst.reverse().map(normalise) };
  }

  async saveTurn({ conversation, message }: DifyTurnRecord): Promise<void> {
    await this.store.transaction(async (manager) => {
      if (conversation && 'keyId' in conversation) {
        // JSON columns (inputs) are plain records, which TypeORM's deep-partial type does not accept.
        await manager.insert(
          this.store.entities.difyConversation,
          conversation as QueryDeepPartialEntity<DifyConversation>,
        );
      } else if (conversation) {
        await manager.update(
          this.store.entities.difyConversation,
          { id: conversation.id },
          { updatedAt: conversation.updatedAt },
        );
      }
      await manager.insert(this.store.entities.difyMessage, message as QueryDeepPartialEntity<DifyMessage>);
    });
  }

  async conversations(
    keyId: string,
    endUser: string,
    page: { lastId?: string; limit: number; sortBy: DifyConversationSort },
  ): Promise<DifyPage<DifyConversation>> {
    const descending = page.sortBy.startsWith('-');
    const field = page.sortBy.endsWith('created_at') ? 'createdAt' : 'updatedAt';
    const query = this.conversationRows
      .createQueryBuilder('c')
      .where('c.keyId = :keyId AND c.endUser = :endUser', { keyId, endUser })
      .orderBy(`c.${field}`, descending ? 'DESC' : 'ASC')
      .addOrderBy('c.id', descending ? 'DESC' : 'ASC')
      .take(page.limit + 1);
    if (page.lastId) {
      const last = await this.conversationRows.findOneBy({ id: page.lastId, keyId, endUser });
      if (!last) return { data: [], hasMore: false };
      after(query, 'c', field, this.param(last[field]), last.id, descending);
    }
    const rows = await query.getMany();
    return { data: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
  }

  async messages(
    keyId: string,
    endUser: string,
    conversationId: string,
    page: { firstId?: string; limit: number },
  ): Promise<DifyPage<DifyMessage> | null> {
    const owned = await this.conversationRows.existsBy({ id: conversationId, keyId, endUser });
    if (!owned) return null;
    const query = this.messageRows
      .createQueryBuilder('m')
      .where('m.conversationId = :conversationId', { conversationId })
      .orderBy('m.createdAt', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .take(page.limit + 1);
    if (page.firstId) {
      const first = await this.messageRows.findOneBy({ id: page.firstId, conversationId });
      if (!first) return { data: [], hasMore: false };
      after(query, 'm', 'createdAt', this.param(first.createdAt), first.id, true);
    }
    const rows = await query.getMany();
    return { data: rows.slice(0, page.limit).reverse().map(normalise), hasMore: rows.length > page.limit };
  }

  async rename(keyId: string, endUser: string, id: string, name: string): Promise<DifyConversation | null> {
    const result = await this.conversationRows.update({ id, keyId, endUser }, { name });
    if (!result.affected) return null;
    return this.conversationRows.findOneBy({ id });
  }

  async delete(keyId: string, endUser: string, id: string): Promise<boolean> {
    return this.store.transaction(async (manager) => {
      const result = await manager.delete(this.store.entities.difyConversation, { id, keyId, endUser });
      if (!result.affected) return false;
      await manager.delete(this.store.entities.difyMessage, { conversationId: id });
      return true;
    });
  }

  async feedback(
    keyId: string,
    endUser: string,
    messageId: string,
    rating: DifyRating | null,
    content: string | null,
  ): Promise<boolean> {
    const result = await this.messageRows.update(
      { id: messageId, keyId, endUser },
      { feedbackRating: rating, feedbackContent: rating === null ? null : content },
    );
    return !!result.affected;
  }

  async saveFile(file: DifyUploadedFile): Promise<void> {
    await this.fileRows.insert(file);
  }

  /** A date as a query parameter: SQLite compares TypeORM's datetime text. */
  private param(date: Date): Date | string {
    return this.store.dialect === 'sqlite' ? sqliteDatetime(date) : date;
  }

  file(keyId: string, endUser: string, id: string): Promise<DifyUploadedFile | null> {
    return this.fileRows.findOneBy({ id, keyId, endUser });
  }
}

/** Rows after the cursor row in the sort order (ties broken by id, as the ORDER BY does). */
function after<T extends object>(
  query: SelectQueryBuilder<T>,
  alias: string,
  field: string,
  value: Date | string,
  id: string,
  descending: boolean,
): void {
  const op = descending ? '<' : '>';
  query.andWhere(
    new Brackets((where) =>
      where
        .where(`${alias}.${field} ${op} :cursorValue`, { cursorValue: value })
        .orWhere(`(${alias}.${field} = :cursorValue AND ${alias}.id ${op} :cursorId)`, { cursorId: id }),
    ),
  );
}

/** Integer columns can come back as strings from some drivers. */
function normalise(message: DifyMessage): DifyMessage {
  return {
    ...message,
    promptTokens: message.promptTokens === null ? null : Number(message.promptTokens),
    completionTokens: message.completionTokens === null ? null : Number(message.completionTokens),
  };
}
