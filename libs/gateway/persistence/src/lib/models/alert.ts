/** What an alert rule watches (docs/alerts.md). */
export type AlertKind = 'error_rate' | 'latency' | 'ttft' | 'channel_health' | 'budget' | 'spend_change' | 'no_traffic';

/** What part of the traffic a rule looks at; channel, key and team scopes hold ids, model and route names. */
export type AlertScopeKind = 'all' | 'model' | 'channel' | 'route' | 'key' | 'team';

export interface AlertScope {
  kind: AlertScopeKind;
  /** null for `all`. */
  value: string | null;
}

export interface AlertRule {
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
  kind: AlertKind;
  scope: AlertScope;
  /** The span of the request log each evaluation reads. */
  windowSeconds: number;
  /** Percent (error_rate, budget, spend_change) or milliseconds (latency, ttft); null where the kind has none. */
  threshold: number | null;
  /** 50-99.9, for latency and ttft. */
  percentile: number | null;
  /** Which budget a budget rule compares with. */
  budgetPeriod: 'day' | 'month' | null;
  /** Fewer calls in the window than this: no verdict (error_rate, latency, ttft). */
  minRequests: number;
  /** How long the condition must hold before the alert fires (pending meanwhile). */
  forSeconds: number;
  /** While firing, notify again after this long; 0: never again. */
  repeatIntervalSeconds: number;
  /** Notification channels (ids) told when it fires, repeats and resolves. */
  notificationChannelIds: string[];
  createdAt: Date;
  updatedAt: Date;
}

export type NotificationChannelKind = 'webhook' | 'slack' | 'dingtalk' | 'feishu' | 'wecom' | 'email';

/** Where alerts are sent. The URL, signing secret and SMTP password are sealed together under the master key. */
export interface NotificationChannel {
  id: string;
  name: string;
  kind: NotificationChannelKind;
  enabled: boolean;
  /** What is not secret: SMTP host, port, secure, user, from and to. */
  settings: Record<string, unknown>;
  /** SecretBox ciphertext of a JSON object `{ url?, secret?, password? }`; null when there is none. */
  secretsEncrypted: string | null;
  /** What the admin API shows of the URL (`host …abcd`). */
  secretHint: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type AlertStatus = 'inactive' | 'pending' | 'firing' | 'resolved';

/** The current state of one rule, changed only by compare-and-set on `version`. */
export interface AlertState {
  ruleId: string;
  status: AlertStatus;
  /** Incremented by every change; a change written against an older version is refused. */
  version: number;
  /** When the condition began to hold (pending and firing). */
  since: Date | null;
  firedAt: Date | null;
  resolvedAt: Date | null;
  lastNotifiedAt: Date | null;
  /** The signal's last value and what it means, for operators. */
  value: number | null;
  summary: string | null;
  evaluatedAt: Date;
}

export type AlertEventType = 'pending' | 'firing' | 'repeat' | 'resolved';

/** One step of a rule's history. */
export interface AlertEvent {
  id: string;
  ruleId: string;
  ruleName: string;
  type: AlertEventType;
  at: Date;
  value: number | null;
  summary: string | null;
}

/** One attempt to tell a notification channel about an alert event (or a test). */
export interface NotificationDelivery {
  id: string;
  /** null for a test notification. */
  alertEventId: string | null;
  ruleId: string | null;
  channelId: string;
  at: Date;
  ok: boolean;
  /** HTTP attempts made (1 for email). */
  attempts: number;
  /** The receiver's HTTP status, or the SMTP reply code. */
  statusCode: number | null;
  /** The first ~500 bytes of the receiver's answer. */
  response: string | null;
  error: string | null;
}
