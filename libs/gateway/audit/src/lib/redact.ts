/**
 * Field names whose values are secrets wherever they appear: never stored in the trail. Webhook
 * URLs count: Slack, DingTalk and WeCom put the token in the URL.
 */
const SECRET_FIELD = /pass(word)?|secret|api[-_]?key|token|authorization|credential|private[-_]?key|webhook[-_]?url/i;

/** Lists of `{ name, value }` whose values are write-only whatever the name (a channel's headers). */
const NAMED_VALUES_FIELD = /^headers$/i;

export const REDACTED = '[redacted]';

/**
 * A copy of `value` with every secret-named field replaced by `[redacted]`, at any depth. The audit
 * trail records what was asked for, so it must never become a second store of the secrets.
 */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => [
          key,
          SECRET_FIELD.test(key) && item !== null
            ? REDACTED
            : NAMED_VALUES_FIELD.test(key) && Array.isArray(item)
              ? item.map(redactNamedValue)
              : redactSecrets(item),
        ]),
    );
  }
  return value;
}

/** `{ name: 'x-team', value: 'abc' }` → `{ name: 'x-team', value: '[redacted]' }`: the name tells nothing secret. */
function redactNamedValue(item: unknown): unknown {
  const redacted = redactSecrets(item);
  if (redacted === null || typeof redacted !== 'object' || Array.isArray(redacted)) return redacted;
  const pair = redacted as Record<string, unknown>;
  return 'value' in pair && pair['value'] !== null ? { ...pair, value: REDACTED } : pair;
}

/**
 * What changed between two versions of a record, `{ field: { from, to } }`, secrets redacted (a
 * changed secret shows as `[redacted]` on both sides: that it changed, never what to). Fields
 * in `ignore` (timestamps) are left out; null when nothing changed.
 */
export function auditDiff(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  ignore: readonly string[] = ['createdAt', 'updatedAt'],
): Record<string, { from: unknown; to: unknown }> | null {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of keys) {
    if (ignore.includes(key)) continue;
    const from = (redactSecrets({ [key]: before?.[key] ?? null }) as Record<string, unknown>)[key];
    const to = (redactSecrets({ [key]: after?.[key] ?? null }) as Record<string, unknown>)[key];
    const secretChanged = SECRET_FIELD.test(key) && before?.[key] !== after?.[key];
    if (secretChanged || JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
  }
  return Object.keys(changes).length ? changes : null;
}
