/**
 * Conversations that Dify-format callers hold with a gateway-backed app (docs/dify.md), per
 * gateway key and Dify `user` (`endUser`): the gateway keeps the history that Dify would keep.
 */
export interface DifyConversation {
  id: string;
  keyId: string;
  endUser: string;
  name: string;
  inputs: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export type DifyRating = 'like' | 'dislike';

/** One exchange: the user's query and the model's answer (a chat message, or a completion without conversation). */
export interface DifyMessage {
  id: string;
  /** null for Text Generator (completion) messages, which belong to no conversation. */
  conversationId: string | null;
  keyId: string;
  endUser: string;
  query: string;
  answer: string;
  inputs: Record<string, unknown>;
  /** The files attached to the query, as Dify lists them (`message_files`). */
  files: Record<string, unknown>[];
  status: 'normal' | 'error';
  error: string | null;
  feedbackRating: DifyRating | null;
  feedbackContent: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  createdAt: Date;
}

/** A file from `POST /files/upload`, kept (bounded in size) until its key's caller uses it. */
export interface DifyUploadedFile {
  id: string;
  keyId: string;
  endUser: string;
  name: string;
  size: number;
  extension: string;
  mimeType: string;
  /** The bytes, base64: one text column on both SQL stores. */
  data: string;
  createdAt: Date;
}
