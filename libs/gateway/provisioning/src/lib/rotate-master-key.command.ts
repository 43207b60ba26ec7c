import { openStore, type StoreOptions } from '@synapse/gateway/persistence';
import { loadSecretBox } from './master-key';
import { rotateStoredSecrets } from './rotate-master-key';

export interface RotateMasterKeyOptions extends StoreOptions {
  /** The new master secret (`SYNAPSE_SECRET`); required. */
  secret?: string;
  /** The secrets the values may still be under (`SYNAPSE_SECRET_PREVIOUS`). */
  previousSecrets: string[];
}

export interface CommandOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

const stdio: CommandOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * `main.js rotate-master-key`: opens the store without the HTTP server, re-encrypts every stored
 * secret under SYNAPSE_SECRET and resolves with the exit code.
 */
export async function runRotateMasterKey(options: RotateMasterKeyOptions, io: CommandOutput = stdio): Promise<number> {
  // Without an explicit new secret the target would be DATA_DIR/master.key, or a key generated
  // on the spot: neither is a rotation anyone meant.
  if (!options.secret) {
    io.err(
      'rotate-master-key: set SYNAPSE_SECRET to the new master secret and SYNAPSE_SECRET_PREVIOUS to the old one(s); ' +
        'for a generated DATA_DIR/master.key, the old one is the content of that file.',
    );
    return 1;
  }
  const secrets = loadSecretBox({ ...options, warn: io.err });
  const store = await openStore(options);
  try {
    const { rewritten, alreadyCurrent } = await rotateStoredSecrets(store, secrets);
    io.out(
      `rotate-master-key: ${rewritten} rewritten, ${alreadyCurrent} already current under master key ${secrets.keyId}. ` +
        'Restart every replica with this SYNAPSE_SECRET; SYNAPSE_SECRET_PREVIOUS can then be removed.',
    );
    return 0;
  } catch (error) {
    io.err(`rotate-master-key failed, nothing was changed: ${(error as Error).message}`);
    return 1;
  } finally {
    await store.dataSource.destroy();
  }
}
