import { gql } from 'apollo-angular';

export interface AuditEvent {
  id: string;
  at: string;
  action: string;
  actorId: string | null;
  actorEmail: string | null;
  ip: string | null;
  subject: string | null;
  subjectId: string | null;
  outcome: string;
  detail: string | null;
  requestId: string | null;
  /** The input of a change, secrets already redacted by the API. */
  changes: Record<string, unknown> | null;
}

export interface AuditFilter {
  action?: string;
  actorId?: string;
  outcome?: string;
  subject?: string;
  since?: string;
  until?: string;
  limit: number;
}

export const AUDIT_EVENTS = gql<{ auditEvents: AuditEvent[] }, AuditFilter>`
  query AuditEvents(
    $action: String
    $actorId: ID
    $outcome: String
    $subject: String
    $since: DateTime
    $until: DateTime
    $limit: Int!
  ) {
    auditEvents(
      action: $action
      actorId: $actorId
      outcome: $outcome
      subject: $subject
      since: $since
      until: $until
      limit: $limit
    ) {
      id
      at
      action
      actorId
      actorEmail
      ip
      subject
      subjectId
      outcome
      detail
      requestId
      changes
    }
  }
`;

/** The accounts to filter by (asked only when the account may read others). */
export const AUDIT_ACTORS = gql<{ users: { id: string; email: string }[] }, Record<string, never>>`
  query AuditActors {
    users {
      id
      email
    }
  }
`;
