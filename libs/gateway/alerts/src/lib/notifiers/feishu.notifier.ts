import { createHmac } from 'node:crypto';
import { alertPlainText } from './alert-text';
import { nonZeroCode, type HttpDelivery } from './http-delivery';
import type { AlertMessage, DeliveryOutcome, Notifier, NotificationTarget } from './notifier';

/**
 * Feishu/Lark's custom bot signature: Base64 of HMAC-SHA256 keyed with `<timestamp in s>\n<secret>`
 * over an empty message; sent with the timestamp in the body.
 */
export function feishuSign(secret: string, timestampSeconds: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** A Feishu or Lark group's custom bot (`https://open.feishu.cn/open-apis/bot/v2/hook/…`), text message. */
export class FeishuNotifier implements Notifier {
  readonly kind = 'feishu' as const;

  constructor(
    private readonly http: HttpDelivery,
    private readonly clock: () => number = Date.now,
  ) {}

  send(message: AlertMessage, target: NotificationTarget): Promise<DeliveryOutcome> {
    const timestamp = String(Math.floor(this.clock() / 1000));
    return this.http.send(
      target.webhookUrl as string,
      {
        ...(target.secret && { timestamp, sign: feishuSign(target.secret, timestamp) }),
        msg_type: 'text',
        content: { text: alertPlainText(message) },
      },
      {},
      nonZeroCode('code'),
    );
  }
}
