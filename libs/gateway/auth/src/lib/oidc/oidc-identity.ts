import { ROLES, type OidcSettings, type RoleName } from '@synapse/gateway/config';
import { OidcFailure } from './oidc-failure';

/** Who the provider says signed in, as the gateway needs it. */
export interface OidcIdentity {
  /** The provider's subject, for the log. */
  sub: string;
  email: string;
  name: string | null;
  /** From the role claim and OIDC_ROLE_MAP, else OIDC_DEFAULT_ROLE; null when that is `none`. */
  role: RoleName | null;
}

type RoleSettings = Pick<OidcSettings, 'roleClaim' | 'roleMap' | 'defaultRole'>;

/** A claim by its name, else by a dotted path into nested objects (`realm_access.roles`). */
export function readClaim(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path];
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The strongest role that the claim's values map to, else the default role (null: none). */
export function mapRole(claims: Record<string, unknown>, settings: RoleSettings): RoleName | null {
  const claimed = settings.roleClaim ? readClaim(claims, settings.roleClaim) : undefined;
  const values = (Array.isArray(claimed) ? claimed : [claimed]).filter((v): v is string => typeof v === 'string');
  const mapped = values.flatMap((value) => (Object.hasOwn(settings.roleMap, value) ? [settings.roleMap[value]] : []));
  // ROLES is strongest first.
  return mapped.sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b))[0] ?? settings.defaultRole;
}

/**
 * The identity in verified claims. An email is required; `email_verified: false` is refused, and
 * a provider that does not send `email_verified` at all is trusted for the email it asserts.
 */
export function oidcIdentity(claims: Record<string, unknown>, settings: RoleSettings): OidcIdentity {
  const sub = String(claims['sub']);
  const email = claims['email'];
  if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) {
    throw new OidcFailure('email_missing', `subject ${sub}`);
  }
  const verified = claims['email_verified'];
  // Some providers (Cognito) send the flag as a string.
  if (verified !== undefined && verified !== true && verified !== 'true') {
    throw new OidcFailure('email_not_verified', undefined, email);
  }
  const name = typeof claims['name'] === 'string' && claims['name'].trim() ? claims['name'].trim().slice(0, 200) : null;
  return { sub, email: email.toLowerCase(), name, role: mapRole(claims, settings) };
}
