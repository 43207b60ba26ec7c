import { createHmac } from 'node:crypto';
import { alertMarkdown, alertTitle } from './alert-text';
import { nonZeroCode, type HttpDelivery } from './http-delivery';
import type { AlertMessage, DeliveryOutcome, Notifier, NotificationTarget } from './notifier';

/**
 * DingTalk's robot signature: Base64 of HMAC-SHA256 keyed with the secret over
 * `<timestamp in ms>\n<secret>`; sent URL-encoded in the `sign` query parameter.
 */
export function dingtalkSign(secret: string, timestampMs: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** A DingTalk group's custom robot (`https://oapi.dingtalk.com/robot/send?access_token=…`), markdown message. */
export class DingTalkNotifier implements Notifier {
  readonly kind = 'dingtalk' as const;

  constructor(
    private readonly http: HttpDelivery,
    private readonly clock: () => number = Date.now,
  ) {}

  send(message: AlertMessage, target: NotificationTarget): Promise<DeliveryOutcome> {
    const url = new URL(target.webhookUrl as string);
    if (target.secret) {
      const timestamp = String(this.clock());
      url.searchParams.set('timestamp', timestamp);
      url.searchParams.set('sign', dingtalkSign(target.secret, timestamp));
    }
    return this.http.send(
      url.toString(),
      { msgtype: 'markdown', markdown: { title: alertTitle(message), text: alertMarkdown(message) } },
      {},
      nonZeroCode('errcode'),
    );
  }
}
