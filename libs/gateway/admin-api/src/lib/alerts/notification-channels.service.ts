import { Inject, Injectable, Optional } from '@nestjs/common';
import { SecretBox } from '@synapse/crypto';
import { NotificationDispatcher } from '@synapse/gateway/alerts';
import { GqlErrors } from '@synapse/gateway/auth';
import {
  EgressPolicy,
  formatIssues,
  notificationChannelProblems,
  openNotificationSecrets,
  RESOURCE_NAME,
  sealNotificationSecrets,
  SIGNED_NOTIFICATION_KINDS,
  smtpSettingsSchema,
  type NotificationChannelKindName,
  type NotificationSecrets,
  type SmtpSettings,
} from '@synapse/gateway/config';
import {
  AlertRuleRepository,
  NotificationChannelRepository,
  type NotificationChannel as StoredChannel,
} from '@synapse/gateway/persistence';
import { HOST_RESOLVER, refusalOfBaseUrl, type ResolveAll } from '@synapse/gateway/providers';
import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns';
import { Serial } from '../common/serial';
import { toDeliveryView, toNotificationChannelView } from './alert-views';
import type { CreateNotificationChannelInput } from './dto/create-notification-channel.input';
import type { SmtpSettingsInput } from './dto/smtp-settings.input';
import type { UpdateNotificationChannelInput } from './dto/update-notification-channel.input';
import type { NotificationChannelView } from './models/notification-channel.model';
import type { NotificationDeliveryView } from './models/notification-delivery.model';

/**
 * Notification channels at run time. Their secrets (webhook URL, signing secret, SMTP password) are
 * sealed under the master key as they arrive and never read back, only hinted; every URL and SMTP
 * host is held to the egress policy of upstream channels.
 */
@Injectable()
export class NotificationChannelsService {
  private readonly serial = new Serial();

  constructor(
    private readonly channels: NotificationChannelRepository,
    private readonly rules: AlertRuleRepository,
    private readonly secrets: SecretBox,
    private readonly egress: EgressPolicy,
    private readonly dispatcher: NotificationDispatcher,
    @Optional() @Inject(HOST_RESOLVER) private readonly resolve: ResolveAll = lookup,
  ) {}

  async list(): Promise<NotificationChannelView[]> {
    return (await this.channels.findAll()).map(toNotificationChannelView);
  }

  async get(id: string): Promise<NotificationChannelView> {
    return toNotificationChannelView(await this.find(id));
  }

  create(input: CreateNotificationChannelInput): Promise<NotificationChannelView> {
    return this.serial.run(async () => {
      const smtp = input.smtp ? parseSmtp(input.smtp) : undefined;
      const secrets: NotificationSecrets = {
        webhookUrl: input.webhookUrl ?? undefined,
        secret: input.secret ?? undefined,
        password: smtp?.password,
      };
      await this.checkShape(input.name, input.kind, secrets, smtp);
      if (await this.channels.findByName(input.name)) {
        throw GqlErrors.badUserInput(`name: a notification channel named '${input.name}' already exists`);
      }
      const now = new Date();
      const channel = await this.channels.save({
        id: randomUUID(),
        name: input.name,
        kind: input.kind,
        enabled: input.enabled ?? true,
        settings: settingsOf(input.kind, secrets, smtp),
        ...sealNotificationSecrets(this.secrets, secrets),
        createdAt: now,
        updatedAt: now,
      });
      return toNotificationChannelView(channel);
    });
  }

  update(id: string, input: UpdateNotificationChannelInput): Promise<NotificationChannelView> {
    return this.serial.run(async () => {
      const stored = await this.find(id);
      const before = openNotificationSecrets(this.secrets, stored.secretsEncrypted);
      const smtp = input.smtp ? parseSmtp(input.smtp) : undefined;
      const keptSmtp = smtp ?? (stored.kind === 'email' ? (stored.settings as SmtpSettings) : undefined);
      const secrets: NotificationSecrets = {
        webhookUrl: input.webhookUrl !== undefined ? (input.webhookUrl ?? undefined) : before.webhookUrl,
        secret: input.secret !== undefined ? (input.secret ?? undefined) : before.secret,
        password: input.smtp
          ? (smtp?.password ?? (input.smtp.password === null ? undefined : before.password))
          : before.password,
      };
      assertSecretsFollow(stored, before, secrets, input);
      const name = input.name ?? stored.name;
      await this.checkShape(name, stored.kind, secrets, keptSmtp);
      if (name !== stored.name && (await this.channels.findByName(name))) {
        throw GqlErrors.badUserInput(`name: a notification channel named '${name}' already exists`);
      }
      const channel = await this.channels.save({
        ...stored,
        name,
        enabled: input.enabled ?? stored.enabled,
        settings: settingsOf(stored.kind, secrets, keptSmtp),
        ...sealNotificationSecrets(this.secrets, secrets),
        updatedAt: new Date(),
      });
      return toNotificationChannelView(channel);
    });
  }

  /** Refused while a rule notifies the channel: the rule would silently lose it. */
  delete(id: string): Promise<boolean> {
    return this.serial.run(async () => {
      const channel = await this.find(id);
      const users = (await this.rules.findAll())
        .filter((rule) => rule.notificationChannelIds.includes(id))
        .map((r) => `'${r.name}'`);
      if (users.length) {
        throw GqlErrors.conflict(
          `Notification channel '${channel.name}' is notified by the alert rules ${users.join(', ')}: take it out of them first.`,
        );
      }
      if (!(await this.channels.delete(id))) throw notFound(id);
      return true;
    });
  }

  /** Sends a test message now and answers how it went (also recorded in the delivery history). */
  async test(id: string): Promise<NotificationDeliveryView> {
    return toDeliveryView(await this.dispatcher.test(await this.find(id)));
  }

  private async checkShape(
    name: string,
    kind: NotificationChannelKindName,
    secrets: NotificationSecrets,
    smtp: Omit<SmtpSettings, 'password'> | undefined,
  ): Promise<void> {
    const problems = notificationChannelProblems({
      kind,
      webhookUrl: secrets.webhookUrl,
      secret: secrets.secret,
      smtp,
    }).map(({ field, message }) => `${field}: ${message}`);
    if (!RESOURCE_NAME.test(name)) problems.unshift('name: must be 1-64 letters, digits, dots, dashes or underscores');
    if (problems.length) throw GqlErrors.badUserInput(problems.join('; '));
    const address = secrets.webhookUrl ?? (smtp && `smtp://${smtp.host.includes(':') ? `[${smtp.host}]` : smtp.host}`);
    const refusal = address ? await refusalOfBaseUrl(this.egress, address, this.resolve) : null;
    if (refusal) {
      throw GqlErrors.badUserInput(
        `${secrets.webhookUrl ? 'webhookUrl' : 'smtp.host'}: the gateway does not connect to this address: ${refusal} (see UPSTREAM_ALLOWED_PRIVATE_CIDRS)`,
      );
    }
  }

  private async find(id: string): Promise<StoredChannel> {
    const channel = await this.channels.findById(id);
    if (!channel) throw notFound(id);
    return channel;
  }
}

function parseSmtp(input: SmtpSettingsInput): SmtpSettings {
  const parsed = smtpSettingsSchema.safeParse({
    host: input.host,
    port: input.port ?? 587,
    secure: input.secure ?? false,
    ...(input.user && { user: input.user }),
    ...(input.password && { password: input.password }),
    from: input.from,
    to: input.to,
  });
  if (!parsed.success)
    throw GqlErrors.badUserInput(
      formatIssues(parsed.error.issues)
        .map((p) => `smtp.${p}`)
        .join('; '),
    );
  return parsed.data;
}

/** What is stored in clear: the SMTP settings without the password, and whether requests are signed. */
function settingsOf(
  kind: NotificationChannelKindName,
  secrets: NotificationSecrets,
  smtp: Omit<SmtpSettings, 'password'> | undefined,
): Record<string, unknown> {
  if (kind === 'email' && smtp) {
    const { host, port, secure, user, from, to } = smtp;
    return { host, port, secure, ...(user && { user }), from, to };
  }
  return { signed: SIGNED_NOTIFICATION_KINDS.includes(kind) && Boolean(secrets.secret) };
}

/**
 * A signing secret or SMTP password was given for one receiver: moving the channel to another
 * origin or SMTP host must bring it again, or an operator who may not read it could send it elsewhere.
 */
function assertSecretsFollow(
  stored: StoredChannel,
  before: NotificationSecrets,
  after: NotificationSecrets,
  input: UpdateNotificationChannelInput,
): void {
  const origin = (url: string | undefined) => (url ? new URL(url).origin : null);
  if (
    before.secret &&
    input.secret === undefined &&
    after.webhookUrl &&
    origin(after.webhookUrl) !== origin(before.webhookUrl)
  ) {
    throw GqlErrors.badUserInput(
      'secret: the webhook moves to another origin; give the signing secret again (or null for none)',
    );
  }
  const host = (stored.settings as { host?: string }).host;
  if (before.password && input.smtp && input.smtp.password === undefined && input.smtp.host !== host) {
    throw GqlErrors.badUserInput('smtp.password: the SMTP host changes; give the password again (or null for none)');
  }
}

function notFound(id: string) {
  return GqlErrors.notFound(`No notification channel has the id '${id}'.`);
}
