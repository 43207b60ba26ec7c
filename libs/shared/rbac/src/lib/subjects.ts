/**
 * What a permission is about. `all` is CASL's wildcard: every subject, present and future. A new
 * kind of record that needs its own permissions gets a name here first.
 */
export const SUBJECTS = [
  'User',
  'Role',
  'Team',
  'Channel',
  'Route',
  'RoutingTarget',
  'GatewayKey',
  'RequestLog',
  'Usage',
  'AuditEvent',
  /** Alert rules and their states and notifications. */
  'Alert',
  /** Where alerts are sent (webhooks, chat robots, email). */
  'NotificationChannel',
  /** Model prices and their history. */
  'ModelPrice',
  'all',
] as const;

export type SubjectName = (typeof SUBJECTS)[number];

/** The subjects that name records (every subject but the wildcard). */
export type RecordSubjectName = Exclude<SubjectName, 'all'>;
