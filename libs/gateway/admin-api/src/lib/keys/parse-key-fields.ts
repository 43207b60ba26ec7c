import { GqlErrors } from '@synapse/gateway/auth';
import { formatIssues, keySchema } from '@synapse/gateway/config';
import type { KeyLimits } from '@synapse/gateway/persistence';

/** The fields of a key that the admin API sets; null in the lists means no restriction. */
export interface KeyFields {
  name: string;
  models: string[];
  endpoints: string[] | null;
  ipAllow: string[] | null;
  enabled: boolean;
  expiresAt: Date | null;
  limits: KeyLimits | null;
  captureBodies: boolean;
}

const fieldsSchema = keySchema.omit({ key: true, user: true });

/**
 * Checks a key's fields with the config file's own schema, so that both name the same mistake the
 * same way (`ipAllow[1]: '10.0.0.300/8' is not a valid CIDR`); nothing is saved when it fails.
 */
/** Limits as inputs carry them: a null field means no cap. */
type LimitsInput = Partial<Record<keyof KeyLimits, number | null>>;

export function parseKeyFields(
  fields: Partial<Omit<KeyFields, 'limits'>> & { name: string; limits?: LimitsInput | null },
): KeyFields {
  const parsed = fieldsSchema.safeParse(
    Object.fromEntries(
      Object.entries({
        ...fields,
        expiresAt: fields.expiresAt?.toISOString(),
        limits: fields.limits ? withoutNulls(fields.limits) : fields.limits,
      }).filter(([, value]) => value !== null && value !== undefined),
    ),
  );
  if (!parsed.success) throw GqlErrors.badUserInput(formatIssues(parsed.error.issues).join('; '));
  const key = parsed.data;
  return {
    name: key.name,
    models: key.models,
    endpoints: key.endpoints ?? null,
    ipAllow: key.ipAllow ?? null,
    enabled: key.enabled,
    expiresAt: key.expiresAt ? new Date(key.expiresAt) : null,
    limits: key.limits && Object.keys(key.limits).length > 0 ? key.limits : null,
    captureBodies: key.captureBodies,
  };
}

function withoutNulls(limits: LimitsInput): KeyLimits {
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== null && value !== undefined));
}
