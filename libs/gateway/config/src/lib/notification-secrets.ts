import { notificationSecretHint } from './alerts-config.schema';

/** The secrets of a notification channel: sealed together, never shown. */
export interface NotificationSecrets {
  webhookUrl?: string;
  secret?: string;
  password?: string;
}

interface Box {
  encrypt(plaintext: string): string;
  decrypt(sealed: string): string;
}

/** The sealed form stored in `secretsEncrypted` and its hint; null/null when there is no secret. */
export function sealNotificationSecrets(
  box: Box,
  secrets: NotificationSecrets,
): { secretsEncrypted: string | null; secretHint: string | null } {
  const present = Object.fromEntries(Object.entries(secrets).filter(([, value]) => value));
  if (Object.keys(present).length === 0) return { secretsEncrypted: null, secretHint: null };
  return { secretsEncrypted: box.encrypt(JSON.stringify(present)), secretHint: notificationSecretHint(present) };
}

export function openNotificationSecrets(box: Box, sealed: string | null): NotificationSecrets {
  return sealed ? (JSON.parse(box.decrypt(sealed)) as NotificationSecrets) : {};
}
