import type { DifyConversation, DifyMessage, DifyRating, DifyUploadedFile } from './models/dify-conversation';

export type DifyConversationSort = 'created_at' | '-created_at' | 'updated_at' | '-updated_at';

export interface DifyPage<T> {
  data: T[];
  hasMore: boolean;
}

/** What a chat call writes after its answer, in one transaction. */
export interface DifyTurnRecord {
  /** A conversation the call started (inserted), or the id of the one it continued (its updated_at moves). */
  conversation: DifyConversation | { id: string; updatedAt: Date } | null;
  message: DifyMessage;
}

/**
 * The Dify ingress's store. Everything is scoped by gateway key and Dify `user`: another key or
 * user sees nothing (Dify answers 404). A generation reads once before the call (`history`) and
 * writes once after it (`saveTurn`); the other methods serve the history endpoints.
 */
export abstract class DifyConversationRepository {
  /** The conversation and its last `limit` messages, oldest first; null when it is not this key's and user's. */
  abstract history(
    keyId: string,
    endUser: string,
    conversationId: string,
    limit: number,
  ): Promise<{ conversation: DifyConversation; messages: DifyMessage[] } | null>;
  abstract saveTurn(record: DifyTurnRecord): Promise<void>;
  /** A page after the conversation `lastId` (in the sort order). */
  abstract conversations(
    keyId: string,
    endUser: string,
    page: { lastId?: string; limit: number; sortBy: DifyConversationSort },
  ): Promise<DifyPage<DifyConversation>>;
  /** The newest `limit` messages older than `firstId` (all when absent), oldest first; null: no such conversation. */
  abstract messages(
    keyId: string,
    endUser: string,
    conversationId: string,
    page: { firstId?: string; limit: number },
  ): Promise<DifyPage<DifyMessage> | null>;
  abstract rename(keyId: string, endUser: string, id: string, name: string): Promise<DifyConversation | null>;
  /** Removes the conversation and its messages; false when there was none. */
  abstract delete(keyId: string, endUser: string, id: string): Promise<boolean>;
  /** Sets (or, with a null rating, clears) a message's feedback; false when there is no such message. */
  abstract feedback(
    keyId: string,
    endUser: string,
    messageId: string,
    rating: DifyRating | null,
    content: string | null,
  ): Promise<boolean>;
  abstract saveFile(file: DifyUploadedFile): Promise<void>;
  abstract file(keyId: string, endUser: string, id: string): Promise<DifyUploadedFile | null>;
}
