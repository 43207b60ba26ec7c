import type { SmtpSettings as SmtpConfig } from '@synapse/gateway/config';
import type {
  AlertEvent,
  AlertRule as StoredRule,
  AlertState,
  NotificationChannel,
  NotificationDelivery,
} from '@synapse/gateway/persistence';
import type { AlertEventView } from './models/alert-event.model';
import type { AlertRule } from './models/alert-rule.model';
import type { AlertStateView } from './models/alert-state.model';
import type { NotificationChannelView } from './models/notification-channel.model';
import type { NotificationDeliveryView } from './models/notification-delivery.model';

export function toAlertRuleView(rule: StoredRule): AlertRule {
  return { ...rule, scope: { ...rule.scope } };
}

export function toAlertStateView(state: AlertState, ruleName: string): AlertStateView {
  return {
    ruleId: state.ruleId,
    ruleName,
    status: state.status,
    since: state.since,
    firedAt: state.firedAt,
    resolvedAt: state.resolvedAt,
    lastNotifiedAt: state.lastNotifiedAt,
    value: state.value,
    summary: state.summary,
    evaluatedAt: state.evaluatedAt,
  };
}

export function toAlertEventView(event: AlertEvent): AlertEventView {
  return { ...event };
}

export function toDeliveryView(delivery: NotificationDelivery): NotificationDeliveryView {
  return { ...delivery };
}

/** Never the URL, the signing secret or the password: their hint, and whether requests are signed. */
export function toNotificationChannelView(channel: NotificationChannel): NotificationChannelView {
  const settings = channel.settings as Partial<Omit<SmtpConfig, 'password'>> & { signed?: boolean };
  return {
    id: channel.id,
    name: channel.name,
    kind: channel.kind,
    enabled: channel.enabled,
    secretHint: channel.secretHint,
    signed: settings.signed === true,
    smtp:
      channel.kind === 'email' && settings.host
        ? {
            host: settings.host,
            port: settings.port ?? 587,
            secure: settings.secure ?? false,
            user: settings.user ?? null,
            from: settings.from ?? '',
            to: settings.to ?? [],
          }
        : null,
    createdAt: channel.createdAt,
    updatedAt: channel.updatedAt,
  };
}
