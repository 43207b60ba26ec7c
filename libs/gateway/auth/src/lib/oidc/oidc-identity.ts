import { ROLES, type OidcSettings, type RoleName } from '@synapse/gateway/config';
import { OidcFailure } from './oidc-failure';

/** Who the provider says signed in, as the gateway needs it. */
export interface OidcIdentity {
  /** The ID token's issuer and subject: the identity an account is linked to. */
  issuer: string;
  sub: string;
  email: string;
  /**
   * Whether the provider vouches for the email: `email_verified: true`, or no such claim from an
   * issuer in OIDC_TRUSTED_EMAIL_ISSUERS. An unverified email never finds, links or creates an account.
   */
  emailVerified: boolean;
  name: string | null;
  /** From the role claim and OIDC_ROLE_MAP, else OIDC_DEFAULT_ROLE; null when that is `none`. */
  role: RoleName | null;
}

type RoleSettings = Pick<OidcSettings, 'roleClaim' | 'roleMap' | 'defaultRole'>;
type IdentitySettings = RoleSettings & Pick<OidcSettings, 'trustedEmailIssuers'>;

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
 * The identity in verified claims. An email is required and `email_verified: false` is refused.
 * Without the claim the email counts as verified only for a trusted issuer: whoever controls an
 * account at another provider might have typed any address (the sign-in service then refuses to
 * use it for anything but an identity linked before).
 */
export function oidcIdentity(claims: Record<string, unknown>, settings: IdentitySettings): OidcIdentity {
  const sub = String(claims['sub']);
  const issuer = String(claims['iss']);
  const email = claims['email'];
  if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) {
    throw new OidcFailure('email_missing', `subject ${sub}`);
  }
  const verified = claims['email_verified'];
  // Some providers (Cognito) send the flag as a string.
  if (verified !== undefined && verified !== true && verified !== 'true') {
    throw new OidcFailure('email_not_verified', 'email_verified is false', email);
  }
  const emailVerified = verified !== undefined || settings.trustedEmailIssuers.includes(issuer);
  const name = typeof claims['name'] === 'string' && claims['name'].trim() ? claims['name'].trim().slice(0, 200) : null;
  return { issuer, sub, email: email.toLowerCase(), emailVerified, name, role: mapRole(claims, settings) };
}
