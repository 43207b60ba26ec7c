import type { RequestBody } from './models/request-body';
import type { Endpoint } from '@synapse/endpoints';
import type { RequestLogEntry } from './models/request-log';

/** What a request-log search matches; every field narrows (AND). */
export interface RequestLogFilter {
  /** Rows created at or after this moment. */
  since?: Date;
  /** Rows created before this moment. */
  until?: Date;
  keyId?: string;
  userId?: string;
  teamId?: string;
  /** The requested or the upstream model. */
  model?: string;
  requestedModel?: string;
  upstreamModel?: string;
  channelId?: string;
  routeName?: string;
  /** The API called (`audio.transcriptions`, …). */
  endpoint?: Endpoint;
  /** An exact status. */
  status?: number;
  /** A status class: 2 for 2xx … 5 for 5xx. */
  statusClass?: 1 | 2 | 3 | 4 | 5;
  minLatencyMs?: number;
  maxLatencyMs?: number;
  errorClass?: string;
  /** One call, by the `x-request-id` it was answered with. */
  requestId?: string;
  /**
   * The rows the caller may read, when not all: those of these users or of these teams. Applied
   * in the query itself, so that a page is never emptied after it was read.
   */
  visibleTo?: { userIds: readonly string[]; teamIds: readonly string[] };
}

/** A position in the newest-first order: the last row of the previous page. */
export interface RequestLogCursor {
  createdAt: Date;
  id: string;
}

export interface RequestLogSearch {
  filter: RequestLogFilter;
  /** Page size. */
  first: number;
  /** Rows after this one (older, or as old with a smaller id). */
  after?: RequestLogCursor;
}

export interface RequestLogPage {
  /** Newest first, by (createdAt, id). */
  entries: RequestLogEntry[];
  hasNextPage: boolean;
}

export abstract class RequestBodyRepository {
  /**
   * Writes a batch in one transaction. A body whose request id
   * is there already is skipped, so that a batch sent again after a lost answer goes through.
   * Rejects with RequestLogRowRefused when a body is one the table cannot take.
   */
  abstract insertMany(bodies: readonly RequestBody[]): Promise<void>;
  abstract findById(requestId: string): Promise<RequestBody | null>;
  /** Deletes at most `limit` of the bodies stored before `before`, oldest first; returns how many. */
  abstract purgeOlderThan(before: Date, limit: number): Promise<number>;
  /** Releases what the writer holds (a writer thread on SQLite); called at shutdown. */
  async close(): Promise<void> {
    // nothing to release by default
  }
}

/**
 * One kind of stored history that retention purges (request log, bodies, audit trail, rollups).
 * `purgeOlderThan` deletes at most `limit` rows older than `before` and returns how many, so that
 * the purge runs in short statements; deleting what is already gone is not an error.
 */
export interface RetentionTarget {
  kind: string;
  purgeOlderThan(before: Date, limit: number): Promise<number>;
}

/** The RetentionTarget[] that the retention job purges; stores of other kinds add theirs to it. */
export const RETENTION_TARGETS = Symbol('RETENTION_TARGETS');
