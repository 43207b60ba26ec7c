import { Injectable, Logger } from '@nestjs/common';
import { SecretBox } from '@synapse/crypto';
import { openNotificationSecrets, type SmtpSettings } from '@synapse/gateway/config';
import {
  NotificationChannelRepository,
  NotificationDeliveryRepository,
  type NotificationChannel,
  type NotificationDelivery,
} from '@synapse/gateway/persistence';
import { randomUUID } from 'node:crypto';
import { NotifierRegistry } from './notifiers/notifier-registry';
import type { AlertMessage, DeliveryOutcome, NotificationTarget } from './notifiers/notifier';

/**
 * Sends alert events to notification channels and records every delivery with the receiver's
 * answer. A failing channel never stops the others, and nothing it does reaches the caller as an
 * exception: the outcome is in `notification_deliveries`.
 */
@Injectable()
export class NotificationDispatcher {
  private readonly logger = new Logger('Alerts');

  constructor(
    private readonly channels: NotificationChannelRepository,
    private readonly deliveries: NotificationDeliveryRepository,
    private readonly registry: NotifierRegistry,
    private readonly secrets: SecretBox,
  ) {}

  /** Tells each enabled channel of `channelIds` about the event, in parallel. */
  async notify(channelIds: readonly string[], message: AlertMessage): Promise<NotificationDelivery[]> {
    const channels = await Promise.all(channelIds.map((id) => this.channels.findById(id)));
    const enabled = channels.filter((c): c is NotificationChannel => c !== null && c.enabled);
    return Promise.all(enabled.map((channel) => this.deliver(channel, message)));
  }

  /** A test message to one channel (enabled or not), recorded like any delivery. */
  test(channel: NotificationChannel, now = new Date()): Promise<NotificationDelivery> {
    return this.deliver(channel, {
      event: 'test',
      ruleId: null,
      ruleName: `test of ${channel.name}`,
      kind: null,
      scope: 'none',
      value: null,
      summary: 'A test notification from SynapseHub: this channel works.',
      at: now,
      eventId: null,
    });
  }

  private async deliver(channel: NotificationChannel, message: AlertMessage): Promise<NotificationDelivery> {
    let outcome: DeliveryOutcome;
    try {
      outcome = await this.registry.get(channel.kind).send(message, this.targetOf(channel));
    } catch (error) {
      outcome = { ok: false, attempts: 1, statusCode: null, response: null, error: (error as Error).message };
    }
    const delivery: NotificationDelivery = {
      id: randomUUID(),
      alertEventId: message.eventId,
      ruleId: message.ruleId,
      channelId: channel.id,
      at: new Date(),
      ...outcome,
    };
    if (!outcome.ok) {
      this.logger.warn(
        `notification to '${channel.name}' failed after ${outcome.attempts} attempt(s): ${outcome.error}`,
      );
    }
    try {
      await this.deliveries.insert(delivery);
    } catch (error) {
      this.logger.error(`could not record a delivery to '${channel.name}': ${(error as Error).message}`);
    }
    return delivery;
  }

  private targetOf(channel: NotificationChannel): NotificationTarget {
    const secrets = openNotificationSecrets(this.secrets, channel.secretsEncrypted);
    const smtp = channel.kind === 'email' ? (channel.settings as Omit<SmtpSettings, 'password'>) : undefined;
    return {
      id: channel.id,
      name: channel.name,
      kind: channel.kind,
      webhookUrl: secrets.webhookUrl,
      secret: secrets.secret,
      smtp: smtp && { ...smtp, password: secrets.password },
    };
  }
}
