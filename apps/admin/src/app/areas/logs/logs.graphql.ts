import { gql } from 'apollo-angular';

/** `RequestLogFilter`: every field optional. */
export interface RequestLogFilter {
  since?: string;
  until?: string;
  keyId?: string;
  userId?: string;
  teamId?: string;
  model?: string;
  requestedModel?: string;
  upstreamModel?: string;
  channelId?: string;
  route?: string;
  endpoint?: string;
  status?: number;
  statusClass?: string;
  minLatencyMs?: number;
  maxLatencyMs?: number;
  errorClass?: string;
  requestId?: string;
}

/** `RequestLogTailFilter`. */
export interface RequestLogTailFilter {
  keyId?: string;
  userId?: string;
  teamId?: string;
  model?: string;
  channelId?: string;
  routeName?: string;
  endpoint?: string;
  errorsOnly?: boolean;
}

export interface RequestLogRow {
  id: string;
  createdAt: string;
  endpoint: string;
  stream: boolean;
  keyId: string | null;
  userId: string | null;
  teamId: string | null;
  requestedModel: string | null;
  upstreamModel: string | null;
  channelId: string | null;
  routeName: string | null;
  status: number;
  latencyMs: number;
  ttftMs: number | null;
  attempts: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  cachedTokens: number | null;
  audioSeconds: number | null;
  totalTokens: number | null;
  usageSource: string | null;
  costUsd: number | null;
  errorClass: string | null;
  errorMessage: string | null;
}

export interface RequestLogDetail extends RequestLogRow {
  /** The caller's headers that were kept (an allow-list, never credentials); null before they were. */
  requestHeaders: { name: string; value: string }[] | null;
  body: {
    request: string | null;
    response: string | null;
    requestTruncated: boolean;
    responseTruncated: boolean;
    truncated: boolean;
  } | null;
}

const ROW_FIELDS = `
  id
  createdAt
  endpoint
  stream
  keyId
  userId
  teamId
  requestedModel
  upstreamModel
  channelId
  routeName
  status
  latencyMs
  ttftMs
  attempts
  promptTokens
  completionTokens
  cachedTokens
  audioSeconds
  totalTokens
  usageSource
  costUsd
  errorClass
  errorMessage
`;

export const REQUEST_LOGS = gql<
  { requestLogs: { nodes: RequestLogRow[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } },
  { filter: RequestLogFilter; first: number; after: string | null }
>`
  query LogsSearch($filter: RequestLogFilter, $first: Int!, $after: String) {
    requestLogs(filter: $filter, first: $first, after: $after) {
      nodes {
        ${ROW_FIELDS}
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const REQUEST_LOG = gql<{ requestLog: RequestLogDetail }, { id: string }>`
  query LogsDetail($id: ID!) {
    requestLog(id: $id) {
      ${ROW_FIELDS}
      requestHeaders {
        name
        value
      }
      body {
        request
        response
        requestTruncated
        responseTruncated
        truncated
      }
    }
  }
`;

export const REQUEST_LOG_TAIL = gql<{ requestLogTail: RequestLogRow }, { filter: RequestLogTailFilter }>`
  subscription LogsTail($filter: RequestLogTailFilter) {
    requestLogTail(filter: $filter) {
      ${ROW_FIELDS}
    }
  }
`;
