import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { securePrivateDir } from '@synapse/gateway/persistence';

/** Where generated passwords and key secrets go, in the data folder: never stdout, which ends up in container logs. */
export const GENERATED_SECRETS_FILE = 'generated-secrets.txt';

/**
 * Appends one generated secret, with its time and what it is for, to the owner-only file in the
 * data folder, and returns the file's path for the console. The operator reads it, stores the
 * secret elsewhere and deletes the file.
 */
export function recordGeneratedSecret(
  dataDir: string,
  what: string,
  secret: string,
  warn: (message: string) => void,
  now = new Date(),
): string {
  const file = join(securePrivateDir(dataDir, warn), GENERATED_SECRETS_FILE);
  appendFileSync(file, `${now.toISOString()}  ${what}: ${secret}\n`, { mode: 0o600 });
  return file;
}
