import { registerEnumType } from '@nestjs/graphql';
import type { AlertKindName, AlertScopeKindName, NotificationChannelKindName } from '@synapse/gateway/config';
import type { AlertEventType, AlertStatus } from '@synapse/gateway/persistence';

/*
 * GraphQL names of the alerting kinds (`error_rate` is ERROR_RATE); `satisfies` checks that each
 * list is complete against the kinds the config and the store know.
 */

export const AlertKindEnum = {
  ERROR_RATE: 'error_rate',
  LATENCY: 'latency',
  TTFT: 'ttft',
  CHANNEL_HEALTH: 'channel_health',
  BUDGET: 'budget',
  SPEND_CHANGE: 'spend_change',
  NO_TRAFFIC: 'no_traffic',
} as const satisfies { [K in AlertKindName as Uppercase<K>]: K };

export const AlertScopeKindEnum = {
  ALL: 'all',
  MODEL: 'model',
  CHANNEL: 'channel',
  ROUTE: 'route',
  KEY: 'key',
  TEAM: 'team',
} as const satisfies { [K in AlertScopeKindName as Uppercase<K>]: K };

export const NotificationChannelKindEnum = {
  WEBHOOK: 'webhook',
  SLACK: 'slack',
  DINGTALK: 'dingtalk',
  FEISHU: 'feishu',
  WECOM: 'wecom',
  EMAIL: 'email',
} as const satisfies { [K in NotificationChannelKindName as Uppercase<K>]: K };

export const AlertStatusEnum = {
  INACTIVE: 'inactive',
  PENDING: 'pending',
  FIRING: 'firing',
  RESOLVED: 'resolved',
} as const satisfies { [K in AlertStatus as Uppercase<K>]: K };

export const AlertEventTypeEnum = {
  PENDING: 'pending',
  FIRING: 'firing',
  REPEAT: 'repeat',
  RESOLVED: 'resolved',
} as const satisfies { [K in AlertEventType as Uppercase<K>]: K };

export const BudgetPeriodEnum = { DAY: 'day', MONTH: 'month' } as const;

registerEnumType(AlertKindEnum, {
  name: 'AlertKind',
  description:
    'ERROR_RATE: % of 5xx answers; LATENCY / TTFT: a percentile in ms; CHANNEL_HEALTH: circuit open or health check failing; ' +
    'BUDGET: % of a daily or monthly budget used; SPEND_CHANGE: % more spend than the window before; NO_TRAFFIC: no call in the window.',
});
registerEnumType(AlertScopeKindEnum, {
  name: 'AlertScopeKind',
  description: 'ALL traffic, or one MODEL (requested name), CHANNEL (id), ROUTE (name), KEY (id) or TEAM (id).',
});
registerEnumType(NotificationChannelKindEnum, {
  name: 'NotificationChannelKind',
  description:
    'WEBHOOK: signed JSON to any URL; SLACK: incoming webhook; DINGTALK, FEISHU (Lark), WECOM: group robots; EMAIL: SMTP.',
});
registerEnumType(AlertStatusEnum, { name: 'AlertStatus' });
registerEnumType(AlertEventTypeEnum, { name: 'AlertEventType' });
registerEnumType(BudgetPeriodEnum, { name: 'BudgetPeriod' });
