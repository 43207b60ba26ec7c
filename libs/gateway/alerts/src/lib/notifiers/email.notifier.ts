import { createTransport } from 'nodemailer';
import { alertPlainText, alertTitle } from './alert-text';
import {
  firstBytes,
  type AlertMessage,
  type DeliveryOutcome,
  type Notifier,
  type NotificationTarget,
} from './notifier';

/** Why the gateway may not connect to this SMTP host (the egress policy), or null. */
export type SmtpHostCheck = (host: string) => Promise<string | null>;

/** Email over SMTP (nodemailer): one message to every address of the channel. */
export class EmailNotifier implements Notifier {
  readonly kind = 'email' as const;

  constructor(
    private readonly checkHost: SmtpHostCheck,
    private readonly timeoutMs = 15_000,
  ) {}

  async send(message: AlertMessage, target: NotificationTarget): Promise<DeliveryOutcome> {
    const smtp = target.smtp;
    if (!smtp) return failed(null, 'the channel has no SMTP settings');
    const refusal = await this.checkHost(smtp.host);
    if (refusal) return failed(null, `the gateway does not connect to this address: ${refusal}`);
    const transport = createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.user && { auth: { user: smtp.user, pass: smtp.password ?? '' } }),
      connectionTimeout: this.timeoutMs,
      greetingTimeout: this.timeoutMs,
      socketTimeout: this.timeoutMs,
    });
    try {
      const info = await transport.sendMail({
        from: smtp.from,
        to: smtp.to,
        subject: alertTitle(message),
        text: alertPlainText(message),
      });
      return {
        ok: true,
        attempts: 1,
        statusCode: replyCode(info.response),
        response: firstBytes(info.response ?? ''),
        error: null,
      };
    } catch (error) {
      const failure = error as Error & { responseCode?: number; response?: string };
      return {
        ok: false,
        attempts: 1,
        statusCode: failure.responseCode ?? null,
        response: failure.response ? firstBytes(failure.response) : null,
        error: failure.message,
      };
    } finally {
      transport.close();
    }
  }
}

function failed(statusCode: number | null, error: string): DeliveryOutcome {
  return { ok: false, attempts: 1, statusCode, response: null, error };
}

/** `250 2.0.0 Ok: queued` → 250. */
function replyCode(response: string | undefined): number | null {
  const code = Number(response?.slice(0, 3));
  return Number.isInteger(code) && code > 0 ? code : null;
}
