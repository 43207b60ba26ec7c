/** Whether what the event records went through. */
export type AuditOutcome = 'succeeded' | 'failed' | 'denied';

/**
 * One entry of the audit trail: who did (or tried) what to which record, from where, and how it
 * ended. `changes` holds the input or the difference, with secrets already redacted.
 */
export interface AuditEvent {
  id: string;
  at: Date;
  /** The signed-in user; null for anonymous attempts (a failed login names the email in `detail`). */
  actorId: string | null;
  actorEmail: string | null;
  ip: string | null;
  /** `Mutation.createGatewayKey`, `auth.login`, `Query.users`, ... */
  action: string;
  /** The subject type (`GatewayKey`, `User`, ...) and record the action concerned, when known. */
  subject: string | null;
  subjectId: string | null;
  outcome: AuditOutcome;
  /** Why it was denied or failed, or a short description; never a secret. */
  detail: string | null;
  changes: Record<string, unknown> | null;
  requestId: string | null;
}
