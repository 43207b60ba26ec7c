import type { SecretBox } from '@synapse/crypto';
import {
  alertScopeOf,
  checkAlertRule,
  alertRuleFieldsOf,
  openNotificationSecrets,
  sealNotificationSecrets,
  SIGNED_NOTIFICATION_KINDS,
  type AlertRuleConfig,
  type NotificationChannelConfig,
} from '@synapse/gateway/config';
import type {
  AlertRule,
  AlertRuleRepository,
  AlertScope,
  ChannelRepository,
  GatewayKeyRepository,
  NotificationChannel,
  NotificationChannelRepository,
  TeamRepository,
} from '@synapse/gateway/persistence';
import { randomUUID } from 'node:crypto';
import { ConfigReferenceError, differs, type ApplyResult } from './config-applier';

export interface AlertsConfigApplierDeps {
  alertRules: AlertRuleRepository;
  notificationChannels: NotificationChannelRepository;
  channels: ChannelRepository;
  keys: GatewayKeyRepository;
  teams: TeamRepository;
  secrets: SecretBox;
}

/**
 * The `notificationChannels:` and `alerts:` sections: matched by name, written only when something
 * differs (secrets compared in clear, resealed only when they change), never deleted.
 */
export class AlertsConfigApplier {
  constructor(private readonly deps: AlertsConfigApplierDeps) {}

  async apply(
    config: { notificationChannels: NotificationChannelConfig[]; alerts: AlertRuleConfig[] },
    result: ApplyResult,
  ): Promise<void> {
    for (const channel of config.notificationChannels) await this.applyChannel(channel, result);
    for (const [index, rule] of config.alerts.entries()) await this.applyRule(rule, index, result);
  }

  private async applyChannel(config: NotificationChannelConfig, result: ApplyResult): Promise<void> {
    const existing = await this.deps.notificationChannels.findByName(config.name);
    const wanted = { webhookUrl: config.webhookUrl, secret: config.secret, password: config.smtp?.password };
    const current = existing ? openNotificationSecrets(this.deps.secrets, existing.secretsEncrypted) : null;
    const sameSecrets = current !== null && normalizeSecrets(current) === normalizeSecrets(wanted);
    const now = new Date();
    const { password: _password, ...smtp } =
      config.smtp ?? ({} as Partial<NonNullable<NotificationChannelConfig['smtp']>>);
    const desired: NotificationChannel = {
      id: existing?.id ?? randomUUID(),
      name: config.name,
      kind: config.kind,
      enabled: config.enabled,
      settings:
        config.kind === 'email'
          ? smtp
          : { signed: SIGNED_NOTIFICATION_KINDS.includes(config.kind) && Boolean(config.secret) },
      ...(sameSecrets && existing
        ? { secretsEncrypted: existing.secretsEncrypted, secretHint: existing.secretHint }
        : sealNotificationSecrets(this.deps.secrets, wanted)),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    if (!existing) {
      await this.deps.notificationChannels.save(desired);
      result.created.push(`notification channel ${config.name}`);
    } else if (differs(existing, desired, ['kind', 'enabled', 'settings', 'secretsEncrypted'])) {
      await this.deps.notificationChannels.save(desired);
      result.updated.push(`notification channel ${config.name}`);
    }
  }

  private async applyRule(config: AlertRuleConfig, index: number, result: ApplyResult): Promise<void> {
    const path = `alerts[${index}]`;
    const scope = await this.scopeOf(config, path);
    const notificationChannelIds: string[] = [];
    for (const [n, name] of config.notify.entries()) {
      const channel = await this.deps.notificationChannels.findByName(name);
      if (!channel) throw new ConfigReferenceError(`${path}.notify[${n}]`, `no notification channel '${name}'`);
      notificationChannelIds.push(channel.id);
    }
    const { normalized } = checkAlertRule(alertRuleFieldsOf(config));
    const existing = await this.deps.alertRules.findByName(config.name);
    const now = new Date();
    const desired: AlertRule = {
      id: existing?.id ?? randomUUID(),
      name: config.name,
      description: config.description ?? null,
      enabled: config.enabled,
      kind: config.kind,
      scope,
      windowSeconds: config.window,
      threshold: config.threshold ?? null,
      percentile: normalized.percentile,
      budgetPeriod: normalized.budgetPeriod,
      minRequests: config.minRequests,
      forSeconds: config.for,
      repeatIntervalSeconds: config.repeatInterval,
      notificationChannelIds,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    const fields: (keyof AlertRule)[] = [
      'description',
      'enabled',
      'kind',
      'scope',
      'windowSeconds',
      'threshold',
      'percentile',
      'budgetPeriod',
      'minRequests',
      'forSeconds',
      'repeatIntervalSeconds',
      'notificationChannelIds',
    ];
    if (!existing) {
      await this.deps.alertRules.save(desired);
      result.created.push(`alert ${config.name}`);
    } else if (differs(existing, desired, fields)) {
      await this.deps.alertRules.save(desired);
      result.updated.push(`alert ${config.name}`);
    }
  }

  /** Channels, keys and teams are named in the file and stored by id. */
  private async scopeOf(config: AlertRuleConfig, path: string): Promise<AlertScope> {
    const { kind, name } = alertScopeOf(config);
    const lookups = {
      channel: () => this.deps.channels.findByName(name as string),
      key: () => this.deps.keys.findByName(name as string),
      team: () => this.deps.teams.findByName(name as string),
    } as const;
    const lookup = lookups[kind as keyof typeof lookups];
    if (!lookup) return { kind, value: name };
    const found = await lookup();
    if (!found) throw new ConfigReferenceError(`${path}.scope.${kind}`, `no ${kind} '${name}'`);
    return { kind, value: found.id };
  }
}

function normalizeSecrets(secrets: { webhookUrl?: string; secret?: string; password?: string }): string {
  return JSON.stringify([secrets.webhookUrl ?? null, secrets.secret ?? null, secrets.password ?? null]);
}
