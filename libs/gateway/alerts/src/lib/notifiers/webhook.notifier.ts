import { createHmac } from 'node:crypto';
import type { HttpDelivery } from './http-delivery';
import type { AlertMessage, DeliveryOutcome, Notifier, NotificationTarget } from './notifier';

export const SIGNATURE_HEADER = 'x-synapse-signature';
export const TIMESTAMP_HEADER = 'x-synapse-timestamp';

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, keyed with the channel's secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The JSON the generic webhook receives. */
export function webhookPayload(message: AlertMessage) {
  return {
    version: 1,
    event: message.event,
    rule: { id: message.ruleId, name: message.ruleName, kind: message.kind, scope: message.scope },
    value: message.value,
    summary: message.summary,
    at: message.at.toISOString(),
    eventId: message.eventId,
  };
}

/**
 * Any HTTP receiver: a JSON body, signed when the channel has a secret (the timestamp, in Unix
 * seconds, is signed with the body so that a captured request cannot be replayed later).
 */
export class WebhookNotifier implements Notifier {
  readonly kind = 'webhook' as const;

  constructor(
    private readonly http: HttpDelivery,
    private readonly clock: () => number = Date.now,
  ) {}

  send(message: AlertMessage, target: NotificationTarget): Promise<DeliveryOutcome> {
    const body = JSON.stringify(webhookPayload(message));
    const timestamp = String(Math.floor(this.clock() / 1000));
    const headers: Record<string, string> = { [TIMESTAMP_HEADER]: timestamp };
    if (target.secret) headers[SIGNATURE_HEADER] = webhookSignature(target.secret, timestamp, body);
    return this.http.send(target.webhookUrl as string, body, headers);
  }
}
