import { alertLines, alertPlainText, alertTitle } from './alert-text';
import type { HttpDelivery } from './http-delivery';
import type { AlertMessage, DeliveryOutcome, Notifier, NotificationTarget } from './notifier';

/** Slack incoming webhooks (and the many chat tools that accept their `{ text, blocks }` body). */
export class SlackNotifier implements Notifier {
  readonly kind = 'slack' as const;

  constructor(private readonly http: HttpDelivery) {}

  send(message: AlertMessage, target: NotificationTarget): Promise<DeliveryOutcome> {
    return this.http.send(target.webhookUrl as string, {
      text: alertPlainText(message),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: alertTitle(message) } },
        { type: 'section', text: { type: 'mrkdwn', text: alertLines(message).join('\n') } },
      ],
    });
  }
}
