import { hasPlainValues, SecretBox, sealedIn, secretHint } from '@synapse/crypto';
import type { Channel, ChannelRepository } from '@synapse/gateway/persistence';

/*
 * The encrypted values the store holds: the channels' upstream keys and the values of their extra
 * headers. A new kind of stored secret belongs here and in `rotateStoredSecrets`.
 */

/** Every sealed value of a channel. */
export function sealedValuesOf(channel: Channel): string[] {
  return [...(channel.apiKeyEncrypted ? [channel.apiKeyEncrypted] : []), ...sealedIn(channel.headers ?? {})];
}

/** Channels with a secret sealed under a master key that `secrets` does not hold. */
export function channelsWithUnknownKey(channels: readonly Channel[], secrets: SecretBox): Channel[] {
  return channels.filter((c) => sealedValuesOf(c).some((sealed) => !secrets.knows(SecretBox.keyIdOf(sealed))));
}

/** Stops a start or a rotation that could not read some stored secrets; names them, never a secret. */
export class UnknownMasterKeyError extends Error {
  constructor(channels: readonly Channel[]) {
    const one = channels.length === 1;
    const names = channels.map((c) => `'${c.name}'`).join(', ');
    const keyIds = [...new Set(channels.flatMap((c) => sealedValuesOf(c).map((v) => SecretBox.keyIdOf(v) ?? '?')))];
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

/**
 * Seals the header values of channels stored before header values were sealed (they were kept in
 * clear); returns how many channels it rewrote. Runs at start, before anything reads them.
 */
export async function sealPlainHeaderValues(
  channels: readonly Channel[],
  secrets: SecretBox,
  repository: ChannelRepository,
): Promise<number> {
  let sealed = 0;
  for (const channel of channels) {
    if (!hasPlainValues(channel.headers)) continue;
    // Already sealed values stay; values in clear are sealed.
    const headers = Object.fromEntries(
      Object.entries(channel.headers).map(([name, value]) => [
        name,
        SecretBox.isSealed(value) ? value : secrets.encrypt(value),
      ]),
    );
    await repository.save({ ...channel, headers, updatedAt: new Date() });
    sealed++;
  }
  return sealed;
}
