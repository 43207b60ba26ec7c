import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveMasterKey, generateMasterSecret, SecretBox } from '@synapse/crypto';
import { securePrivateDir } from '@synapse/gateway/persistence';

export const MASTER_KEY_FILE = 'master.key';

export interface MasterKeySource {
  secret?: string;
  /** Secrets of earlier master keys, still accepted for reading during a rotation. */
  previousSecrets?: string[];
  dataDir: string;
  warn: (message: string) => void;
}

/**
 * The key that encrypts upstream secrets: `SYNAPSE_SECRET` when set, otherwise one generated
 * once into the data folder. Every replica of a multi-node setup needs the same secret.
 */
export function loadSecretBox(source: MasterKeySource): SecretBox {
  const previous = (source.previousSecrets ?? []).map(deriveMasterKey);
  if (source.secret) return new SecretBox(deriveMasterKey(source.secret), previous);
  const dir = securePrivateDir(source.dataDir, source.warn);
  const file = join(dir, MASTER_KEY_FILE);
  if (!existsSync(file)) {
    writeFileSync(file, `${generateMasterSecret()}\n`, { mode: 0o600, flag: 'wx' });
    source.warn(
      `SYNAPSE_SECRET is not set: generated a master key into ${file}. Back it up; without it the stored upstream keys cannot be read. Set SYNAPSE_SECRET for multi-node deployments.`,
    );
  }
  return new SecretBox(deriveMasterKey(readFileSync(file, 'utf8').trim()), previous);
}
