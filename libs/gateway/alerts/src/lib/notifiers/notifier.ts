import type { NotificationChannelKind } from '@synapse/gateway/persistence';

/** What a notification says: one alert event (or a test), already rendered to words. */
export interface AlertMessage {
  event: 'firing' | 'repeat' | 'resolved' | 'test';
  ruleId: string | null;
  ruleName: string;
  /** `error_rate`, `latency`, …; null for a test. */
  kind: string | null;
  /** `model gpt-4o`, `all traffic`, … */
  scope: string;
  value: number | null;
  summary: string;
  at: Date;
  eventId: string | null;
}

/** A notification channel with its secrets opened, for one delivery. */
export interface NotificationTarget {
  id: string;
  name: string;
  kind: NotificationChannelKind;
  webhookUrl?: string;
  secret?: string;
  smtp?: {
    host: string;
    port: number;
    secure: boolean;
    user?: string;
    password?: string;
    from: string;
    to: string[];
  };
}

/** How a delivery went, with the receiver's answer. */
export interface DeliveryOutcome {
  ok: boolean;
  attempts: number;
  /** HTTP status, or the SMTP reply code. */
  statusCode: number | null;
  /** The first bytes of the receiver's answer. */
  response: string | null;
  error: string | null;
}

/** Sends to one kind of receiver; registered by kind in the NotifierRegistry. */
export interface Notifier {
  readonly kind: NotificationChannelKind;
  send(message: AlertMessage, target: NotificationTarget): Promise<DeliveryOutcome>;
}

/** How much of a receiver's answer is kept. */
export const RESPONSE_BYTES = 500;

export function firstBytes(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= RESPONSE_BYTES ? text : bytes.subarray(0, RESPONSE_BYTES).toString('utf8');
}
