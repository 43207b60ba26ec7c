import { alertMarkdown } from './alert-text';
import { nonZeroCode, type HttpDelivery } from './http-delivery';
import type { AlertMessage, DeliveryOutcome, Notifier, NotificationTarget } from './notifier';

/** A WeCom (WeChat Work) group robot: the key is in the URL (`…/cgi-bin/webhook/send?key=…`), markdown message. */
export class WeComNotifier implements Notifier {
  readonly kind = 'wecom' as const;

  constructor(private readonly http: HttpDelivery) {}

  send(message: AlertMessage, target: NotificationTarget): Promise<DeliveryOutcome> {
    return this.http.send(
      target.webhookUrl as string,
      { msgtype: 'markdown', markdown: { content: alertMarkdown(message) } },
      {},
      nonZeroCode('errcode'),
    );
  }
}
