import { SecretBox } from './secret-box';

/**
 * Maps of secret values (a channel's extra headers: `api-key`, `OpenAI-Organization`, ...) sealed
 * value by value under the master key; the names stay readable, for the admin API to list.
 */
export type SealedValues = Record<string, string>;

export function sealValues(values: Record<string, string>, box: SecretBox): SealedValues {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, box.encrypt(value)]));
}

/** The values in clear. A value stored before values were sealed is read as it is. */
export function openValues(values: SealedValues, decrypt: (sealed: string) => string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, SecretBox.isSealed(value) ? decrypt(value) : value]),
  );
}

/** The sealed values of a map (the ones a master key rotation rewrites). */
export function sealedIn(values: SealedValues): string[] {
  return Object.values(values).filter((value) => SecretBox.isSealed(value));
}

/** Whether some value is still in clear (stored before values were sealed). */
export function hasPlainValues(values: SealedValues): boolean {
  return Object.values(values).some((value) => !SecretBox.isSealed(value));
}
