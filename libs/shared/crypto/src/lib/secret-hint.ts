/** Characters of a secret shown to recognise it: the last four, as dashboards of upstream providers do. */
export const HINT_CHARACTERS = 4;

/** Shorter secrets show no characters: four would be half of one or more. */
const MIN_LENGTH_FOR_CHARACTERS = 12;

/**
 * What the admin API shows of a write-only secret: `…abcd` (its last four characters), or `…`
 * alone for a secret too short to give any away; null for no secret.
 */
export function secretHint(secret: string | null | undefined): string | null {
  if (!secret) return null;
  return secret.length < MIN_LENGTH_FOR_CHARACTERS ? '…' : `…${secret.slice(-HINT_CHARACTERS)}`;
}
