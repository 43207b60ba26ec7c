import { SecretBox, sealedIn } from '@synapse/crypto';
import type { Store } from '@synapse/gateway/persistence';
import { assertStoredSecretsReadable } from './stored-secrets';

export interface RotationResult {
  /** Values re-encrypted under the current master key. */
  rewritten: number;
  /** Values that were already under the current master key and were left alone. */
  alreadyCurrent: number;
}

/**
 * Re-encrypts every stored secret under the current master key, in one transaction: either all
 * of them move or none does. Running it again rewrites nothing.
 */
export function rotateStoredSecrets(store: Store, secrets: SecretBox): Promise<RotationResult> {
  return store.transaction(async (manager) => {
    const channels = manager.getRepository(store.entities.channel);
    const all = await channels.find({ order: { name: 'ASC' } });
    // Checked before any write, so that a value nobody can read leaves the store untouched.
    assertStoredSecretsReadable(all, secrets);
    const notifiers = await manager.getRepository(store.entities.notificationChannel).find({ order: { name: 'ASC' } });
    const staleNotifiers = notifiers.flatMap((notifier) => {
      const sealed = notifier.secretsEncrypted;
      if (!sealed || SecretBox.keyIdOf(sealed) === secrets.keyId) return [];
      try {
        return [{ notifier, sealed, resealed: secrets.encrypt(secrets.decrypt(sealed)) }];
      } catch {
        throw new Error(
          `notification channel '${notifier.name}': its secrets were sealed under a master key that is not configured (SYNAPSE_SECRET_PREVIOUS)`,
        );
      }
    });
    const result: RotationResult = { rewritten: 0, alreadyCurrent: 0 };
    for (const channel of all) {
      // Header values: one update per channel.
      const headerValues = sealedIn(channel.headers);
      const staleHeaders = headerValues.filter((value) => SecretBox.keyIdOf(value) !== secrets.keyId);
      result.alreadyCurrent += headerValues.length - staleHeaders.length;
      if (staleHeaders.length) {
        const headers = Object.fromEntries(
          Object.entries(channel.headers).map(([name, value]) => [
            name,
            staleHeaders.includes(value) ? secrets.encrypt(secrets.decrypt(value)) : value,
          ]),
        );
        const { affected } = await channels.update({ id: channel.id }, { headers });
        if (affected !== 1) throw new Error(`channel '${channel.name}' was deleted during the rotation; run it again`);
        result.rewritten += staleHeaders.length;
      }
      const sealed = channel.apiKeyEncrypted;
      if (!sealed) continue;
      if (SecretBox.keyIdOf(sealed) === secrets.keyId) {
        result.alreadyCurrent++;
        continue;
      }
      // Compare-and-set: a key changed through the admin API meanwhile is not overwritten with the old one.
      const { affected } = await channels.update(
        { id: channel.id, apiKeyEncrypted: sealed },
        { apiKeyEncrypted: secrets.encrypt(secrets.decrypt(sealed)) },
      );
      if (affected !== 1) throw new Error(`channel '${channel.name}' changed during the rotation; run it again`);
      result.rewritten++;
    }
    result.alreadyCurrent += notifiers.filter((n) => n.secretsEncrypted).length - staleNotifiers.length;
    for (const { notifier, sealed, resealed } of staleNotifiers) {
      const { affected } = await manager
        .getRepository(store.entities.notificationChannel)
        .update({ id: notifier.id, secretsEncrypted: sealed }, { secretsEncrypted: resealed });
      if (affected !== 1)
        throw new Error(`notification channel '${notifier.name}' changed during the rotation; run it again`);
      result.rewritten++;
    }
    return result;
  });
}
