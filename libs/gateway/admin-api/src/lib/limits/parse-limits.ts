import { GqlErrors } from '@synapse/gateway/auth';
import { formatIssues, keyLimitsSchema } from '@synapse/gateway/config';
import type { KeyLimits } from '@synapse/gateway/persistence';
import type { KeyLimitsInput } from './limits.model';

/**
 * Limits of a user or a team, checked with the config file's own schema (`limits.rpm: ...`). A
 * null field is no cap; null limits, or none left, are stored as null (no limits).
 */
export function parseLimits(input: KeyLimitsInput | null | undefined): KeyLimits | null {
  if (!input) return null;
  const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined));
  const parsed = keyLimitsSchema.safeParse(given);
  if (!parsed.success)
    throw GqlErrors.badUserInput(
      formatIssues(parsed.error.issues)
        .map((i) => `limits.${i}`)
        .join('; '),
    );
  return Object.keys(parsed.data).length ? parsed.data : null;
}
