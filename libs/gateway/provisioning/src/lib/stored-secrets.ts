import { SecretBox, secretHint } from '@synapse/crypto';
import type { Channel, ChannelRepository } from '@synapse/gateway/persistence';

/*
 * The encrypted values the store holds. Today these are only the channels' upstream keys; a new
 * kind of stored secret belongs here and in `rotateStoredSecrets`.
 */

/** Channels whose upstream key was sealed under a master key that `secrets` does not hold. */
export function channelsWithUnknownKey(channels: readonly Channel[], secrets: SecretBox): Channel[] {
  return channels.filter((c) => c.apiKeyEncrypted && !secrets.knows(SecretBox.keyIdOf(c.apiKeyEncrypted)));
}

/** Stops a start or a rotation that could not read some stored secrets; names them, never a secret. */
export class UnknownMasterKeyError extends Error {
  constructor(channels: readonly Channel[]) {
    const one = channels.length === 1;
    const names = channels.map((c) => `'${c.name}'`).join(', ');
    const keyIds = [...new Set(channels.map((c) => SecretBox.keyIdOf(c.apiKeyEncrypted ?? '') ?? '?'))];
    super(
      `Cannot read the stored upstream ${one ? 'key of channel' : 'keys of channels'} ${names}: ` +
        `${one ? 'it was' : 'they were'} encrypted under master key id ${keyIds.join(', ')}, ` +
        'and neither the current master secret nor any in SYNAPSE_SECRET_PREVIOUS derives that key. ' +
        `Add the secret ${one ? 'it was' : 'they were'} written under to SYNAPSE_SECRET_PREVIOUS ` +
        '(for a generated DATA_DIR/master.key: the content of that file), then run rotate-master-key ' +
        '(docs/deployment.md, "Rotating the master key").',
    );
    this.name = 'UnknownMasterKeyError';
  }
}

/** Fails when some stored secret cannot be read with the configured master keys. */
export function assertStoredSecretsReadable(channels: readonly Channel[], secrets: SecretBox): void {
  const unknown = channelsWithUnknownKey(channels, secrets);
  if (unknown.length) throw new UnknownMasterKeyError(unknown);
}

/**
 * Stores the key hint of channels saved before hints existed (migration 0008 cannot compute them
 * without the master key): each key is decrypted once, here, so that reads never need to. Returns
 * how many were filled; a key changed meanwhile is left to the save that changed it.
 */
export async function fillMissingKeyHints(
  channels: readonly Channel[],
  secrets: SecretBox,
  repository: ChannelRepository,
): Promise<number> {
  let filled = 0;
  for (const channel of channels) {
    const sealed = channel.apiKeyEncrypted;
    if (!sealed || channel.apiKeyHint) continue;
    if (await repository.setApiKeyHint(channel.id, sealed, secretHint(secrets.decrypt(sealed)))) filled++;
  }
  return filled;
}
