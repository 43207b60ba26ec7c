import { gql } from 'apollo-angular';

export type AlertKind = 'ERROR_RATE' | 'LATENCY' | 'TTFT' | 'CHANNEL_HEALTH' | 'BUDGET' | 'SPEND_CHANGE' | 'NO_TRAFFIC';
export type AlertScopeKind = 'ALL' | 'MODEL' | 'CHANNEL' | 'ROUTE' | 'KEY' | 'TEAM';
export type AlertStatus = 'INACTIVE' | 'PENDING' | 'FIRING' | 'RESOLVED';
export type AlertEventType = 'PENDING' | 'FIRING' | 'REPEAT' | 'RESOLVED';
export type BudgetPeriod = 'DAY' | 'MONTH';
export type NotificationChannelKind = 'WEBHOOK' | 'SLACK' | 'DINGTALK' | 'FEISHU' | 'WECOM' | 'EMAIL';

export interface AlertScope {
  kind: AlertScopeKind;
  value: string | null;
}

export interface AlertRule {
  id: string;
  name: string;
  description: string | null;
  kind: AlertKind;
  threshold: number | null;
  percentile: number | null;
  budgetPeriod: BudgetPeriod | null;
  windowSeconds: number;
  forSeconds: number;
  minRequests: number;
  repeatIntervalSeconds: number;
  scope: AlertScope;
  notificationChannelIds: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AlertState {
  ruleId: string;
  ruleName: string;
  status: AlertStatus;
  since: string | null;
  firedAt: string | null;
  resolvedAt: string | null;
  value: number | null;
  summary: string | null;
  evaluatedAt: string;
}

export interface AlertEvent {
  id: string;
  ruleId: string;
  ruleName: string;
  type: AlertEventType;
  at: string;
  value: number | null;
  summary: string | null;
}

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  from: string;
  to: string[];
}

export interface NotificationChannel {
  id: string;
  name: string;
  kind: NotificationChannelKind;
  enabled: boolean;
  secretHint: string | null;
  signed: boolean;
  smtp: SmtpSettings | null;
  createdAt: string;
  updatedAt: string;
}

export interface NotificationDelivery {
  id: string;
  alertEventId: string | null;
  ruleId: string | null;
  channelId: string;
  at: string;
  ok: boolean;
  attempts: number;
  statusCode: number | null;
  response: string | null;
  error: string | null;
}

export interface AlertScopeInput {
  kind: AlertScopeKind;
  value?: string | null;
}

export interface CreateAlertRuleInput {
  name: string;
  description?: string | null;
  kind: AlertKind;
  threshold?: number | null;
  percentile?: number | null;
  budgetPeriod?: BudgetPeriod | null;
  windowSeconds: number;
  forSeconds: number;
  minRequests: number;
  repeatIntervalSeconds: number;
  scope: AlertScopeInput;
  notificationChannelIds: string[];
  enabled: boolean;
}

export type UpdateAlertRuleInput = Partial<CreateAlertRuleInput>;

export interface SmtpSettingsInput {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password?: string | null;
  from: string;
  to: string[];
}

export interface CreateNotificationChannelInput {
  name: string;
  kind: NotificationChannelKind;
  enabled: boolean;
  webhookUrl?: string;
  secret?: string | null;
  smtp?: SmtpSettingsInput;
}

export interface UpdateNotificationChannelInput {
  name?: string;
  enabled?: boolean;
  webhookUrl?: string;
  secret?: string | null;
  smtp?: SmtpSettingsInput;
}

/** A scope target to pick from (a channel, key or team by id, a route by name). */
export interface TargetOption {
  id: string;
  label: string;
}

const RULE_FIELDS = `
  id
  name
  description
  kind
  threshold
  percentile
  budgetPeriod
  windowSeconds
  forSeconds
  minRequests
  repeatIntervalSeconds
  scope {
    kind
    value
  }
  notificationChannelIds
  enabled
  createdAt
  updatedAt
`;

const STATE_FIELDS = `
  ruleId
  ruleName
  status
  since
  firedAt
  resolvedAt
  value
  summary
  evaluatedAt
`;

const CHANNEL_FIELDS = `
  id
  name
  kind
  enabled
  secretHint
  signed
  smtp {
    host
    port
    secure
    user
    from
    to
  }
  createdAt
  updatedAt
`;

const DELIVERY_FIELDS = `
  id
  alertEventId
  ruleId
  channelId
  at
  ok
  attempts
  statusCode
  response
  error
`;

export const ALERT_RULES = gql<{ alertRules: AlertRule[]; alertStates: AlertState[] }, Record<string, never>>`
  query AlertRules {
    alertRules {
      ${RULE_FIELDS}
    }
    alertStates {
      ${STATE_FIELDS}
    }
  }
`;

export const CREATE_ALERT_RULE = gql<{ createAlertRule: AlertRule }, { input: CreateAlertRuleInput }>`
  mutation CreateAlertRule($input: CreateAlertRuleInput!) {
    createAlertRule(input: $input) {
      ${RULE_FIELDS}
    }
  }
`;

export const UPDATE_ALERT_RULE = gql<{ updateAlertRule: AlertRule }, { id: string; input: UpdateAlertRuleInput }>`
  mutation UpdateAlertRule($id: ID!, $input: UpdateAlertRuleInput!) {
    updateAlertRule(id: $id, input: $input) {
      ${RULE_FIELDS}
    }
  }
`;

export const DELETE_ALERT_RULE = gql<{ deleteAlertRule: boolean }, { id: string }>`
  mutation DeleteAlertRule($id: ID!) {
    deleteAlertRule(id: $id)
  }
`;

export const NOTIFICATION_CHANNELS = gql<{ notificationChannels: NotificationChannel[] }, Record<string, never>>`
  query NotificationChannels {
    notificationChannels {
      ${CHANNEL_FIELDS}
    }
  }
`;

export const CREATE_NOTIFICATION_CHANNEL = gql<
  { createNotificationChannel: NotificationChannel },
  { input: CreateNotificationChannelInput }
>`
  mutation CreateNotificationChannel($input: CreateNotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      ${CHANNEL_FIELDS}
    }
  }
`;

export const UPDATE_NOTIFICATION_CHANNEL = gql<
  { updateNotificationChannel: NotificationChannel },
  { id: string; input: UpdateNotificationChannelInput }
>`
  mutation UpdateNotificationChannel($id: ID!, $input: UpdateNotificationChannelInput!) {
    updateNotificationChannel(id: $id, input: $input) {
      ${CHANNEL_FIELDS}
    }
  }
`;

export const DELETE_NOTIFICATION_CHANNEL = gql<{ deleteNotificationChannel: boolean }, { id: string }>`
  mutation DeleteNotificationChannel($id: ID!) {
    deleteNotificationChannel(id: $id)
  }
`;

export const TEST_NOTIFICATION_CHANNEL = gql<{ testNotificationChannel: NotificationDelivery }, { id: string }>`
  mutation TestNotificationChannel($id: ID!) {
    testNotificationChannel(id: $id) {
      ${DELIVERY_FIELDS}
    }
  }
`;

export const ALERT_EVENTS = gql<{ alertEvents: AlertEvent[] }, { ruleId?: string | null; limit: number }>`
  query AlertEvents($ruleId: ID, $limit: Int!) {
    alertEvents(ruleId: $ruleId, limit: $limit) {
      id
      ruleId
      ruleName
      type
      at
      value
      summary
    }
  }
`;

export const NOTIFICATION_DELIVERIES = gql<
  { notificationDeliveries: NotificationDelivery[] },
  { ruleId?: string | null; channelId?: string | null; alertEventId?: string | null; limit: number }
>`
  query NotificationDeliveries($ruleId: ID, $channelId: ID, $alertEventId: ID, $limit: Int!) {
    notificationDeliveries(ruleId: $ruleId, channelId: $channelId, alertEventId: $alertEventId, limit: $limit) {
      ${DELIVERY_FIELDS}
    }
  }
`;

/** The lists a scope's target is picked from, one query each (each needs its own read right). */
export const SCOPE_CHANNELS = gql<{ channels: { id: string; name: string }[] }, Record<string, never>>`
  query AlertScopeChannels {
    channels {
      id
      name
    }
  }
`;

export const SCOPE_ROUTES = gql<{ routes: { name: string }[] }, Record<string, never>>`
  query AlertScopeRoutes {
    routes {
      name
    }
  }
`;

export const SCOPE_KEYS = gql<{ gatewayKeys: { id: string; name: string }[] }, Record<string, never>>`
  query AlertScopeKeys {
    gatewayKeys {
      id
      name
    }
  }
`;

export const SCOPE_TEAMS = gql<{ teams: { id: string; name: string }[] }, Record<string, never>>`
  query AlertScopeTeams {
    teams {
      id
      name
    }
  }
`;

/** The rules and channels the history is filtered by. */
export const HISTORY_RULES = gql<{ alertRules: { id: string; name: string }[] }, Record<string, never>>`
  query AlertHistoryRules {
    alertRules {
      id
      name
    }
  }
`;

export const HISTORY_CHANNELS = gql<{ notificationChannels: { id: string; name: string }[] }, Record<string, never>>`
  query AlertHistoryChannels {
    notificationChannels {
      id
      name
    }
  }
`;
