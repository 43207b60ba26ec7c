import { randomUUID } from 'node:crypto';
import type { AlertEvent, AlertRule, AlertState, NotificationChannel, NotificationDelivery } from '../../models/alert';
import { T0 } from './contract-fixtures';

/** Alerting records for the contract cases: complete, with fresh ids, overridable field by field. */

export function alertRule(overrides: Partial<AlertRule> = {}): AlertRule {
  return {
    id: randomUUID(),
    name: `rule-${randomUUID().slice(0, 8)}`,
    description: null,
    enabled: true,
    kind: 'error_rate',
    scope: { kind: 'model', value: 'gpt-4o-mini' },
    windowSeconds: 300,
    threshold: 5,
    percentile: null,
    budgetPeriod: null,
    minRequests: 10,
    forSeconds: 60,
    repeatIntervalSeconds: 3600,
    notificationChannelIds: ['n1', 'n2'],
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function notificationChannel(overrides: Partial<NotificationChannel> = {}): NotificationChannel {
  return {
    id: randomUUID(),
    name: `notify-${randomUUID().slice(0, 8)}`,
    kind: 'email',
    enabled: true,
    settings: { host: 'smtp.example.com', port: 587, to: ['ops@example.com'] },
    secretsEncrypted: 'v1.abcd.iv.body',
    secretHint: 'smtp.example.com …wxyz',
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function alertState(overrides: Partial<AlertState> = {}): AlertState {
  return {
    ruleId: randomUUID(),
    status: 'pending',
    version: 1,
    since: T0,
    firedAt: null,
    resolvedAt: null,
    lastNotifiedAt: null,
    value: 12.5,
    summary: 'error rate 12.5% ≥ 5%',
    evaluatedAt: T0,
    ...overrides,
  };
}

export function alertEvent(overrides: Partial<AlertEvent> = {}): AlertEvent {
  return {
    id: randomUUID(),
    ruleId: 'r1',
    ruleName: 'errors',
    type: 'firing',
    at: T0,
    value: 12.5,
    summary: 'error rate 12.5% ≥ 5%',
    ...overrides,
  };
}

export function delivery(overrides: Partial<NotificationDelivery> = {}): NotificationDelivery {
  return {
    id: randomUUID(),
    alertEventId: 'e1',
    ruleId: 'r1',
    channelId: 'n1',
    at: T0,
    ok: true,
    attempts: 1,
    statusCode: 200,
    response: 'ok',
    error: null,
    ...overrides,
  };
}
