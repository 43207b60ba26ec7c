import { z } from 'zod';
import { ROLES, type RoleName } from './config-file.schema';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function parseUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

const httpUrl = z.string().refine((value) => parseUrl(value) !== null, 'must be an http(s) URL');

/** Tokens and the provider's keys travel over this URL: plain http only on the same machine (tests, development). */
const issuerUrl = httpUrl.refine((value) => {
  const url = parseUrl(value);
  return !url || url.protocol === 'https:' || LOOPBACK.has(url.hostname);
}, 'must be an https URL (http only for localhost)');

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true');

/** Roles a person may get without being named in OIDC_ROLE_MAP: never owner. */
export const OIDC_DEFAULT_ROLES = ['admin', 'operator', 'auditor', 'member', 'none'] as const;

/** `synapse-admins=admin, synapse-ops=operator` → `{ 'synapse-admins': 'admin', ... }`; every problem named. */
const roleMap = z.string().transform((text, ctx) => {
  const map: Record<string, RoleName> = {};
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    // The last '=': a claim value may contain one, a role name never does.
    const at = entry.lastIndexOf('=');
    const value = entry.slice(0, at).trim();
    const role = entry.slice(at + 1).trim();
    if (at < 1 || !value) {
      ctx.addIssue({ code: 'custom', message: `'${entry}' is not claim-value=role` });
    } else if (!(ROLES as readonly string[]).includes(role)) {
      ctx.addIssue({ code: 'custom', message: `'${role}' (for '${value}') is not one of: ${ROLES.join(', ')}` });
    } else if (value in map) {
      ctx.addIssue({ code: 'custom', message: `'${value}' is mapped twice` });
    } else {
      map[value] = role as RoleName;
    }
  }
  return map;
});

/** `https://a.example, https://b.example` → the URLs; each one must be an issuer URL. */
const issuerList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(z.array(issuerUrl));

/** The single sign-on variables, validated with the rest of the environment. */
export const oidcEnvFields = {
  /** Where browsers reach the gateway; the default callback URL and the cookie's `Secure` flag follow from it. */
  PUBLIC_URL: httpUrl.optional(),
  /** Where browsers reach the console; the end of a single sign-on. Default: PUBLIC_URL. */
  CONSOLE_URL: httpUrl.optional(),
  OIDC_ISSUER: issuerUrl.optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_REDIRECT_URI: httpUrl.optional(),
  OIDC_SCOPES: z
    .string()
    .default('openid email profile')
    .refine((scopes) => scopes.split(/\s+/).includes('openid'), "must include 'openid'"),
  OIDC_DISPLAY_NAME: z.string().max(64, 'must be at most 64 characters').default('SSO'),
  OIDC_ROLE_CLAIM: z.string().optional(),
  OIDC_ROLE_MAP: roleMap.default({}),
  OIDC_DEFAULT_ROLE: z
    .enum(OIDC_DEFAULT_ROLES, { error: `must be one of: ${OIDC_DEFAULT_ROLES.join(', ')}` })
    .default('member'),
  OIDC_SYNC_ROLE: flag(false),
  OIDC_ALLOW_SIGNUP: flag(true),
  /** Issuers whose emails are taken as verified without `email_verified: true` (Entra ID sends no such claim). */
  OIDC_TRUSTED_EMAIL_ISSUERS: issuerList.default([]),
  /** Whether single sign-on may link an identity to an existing owner account by its email. */
  OIDC_LINK_OWNER: flag(false),
};

type OidcEnv = z.infer<z.ZodObject<typeof oidcEnvFields>> & { PORT: number };

/** Settings that make sense only together, checked once every variable is read. */
export function checkOidcEnv(env: OidcEnv, ctx: z.core.$RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (!env.OIDC_ISSUER) return;
  if (!env.OIDC_CLIENT_ID) issue('OIDC_CLIENT_ID', 'is required when OIDC_ISSUER is set');
  if (Object.keys(env.OIDC_ROLE_MAP).length > 0 && !env.OIDC_ROLE_CLAIM) {
    issue('OIDC_ROLE_CLAIM', 'is required when OIDC_ROLE_MAP is set (the claim whose values it maps, e.g. groups)');
  }
  if (env.OIDC_DEFAULT_ROLE === 'none' && Object.keys(env.OIDC_ROLE_MAP).length === 0) {
    issue('OIDC_DEFAULT_ROLE', "is 'none' but OIDC_ROLE_MAP is empty: nobody could sign in through single sign-on");
  }
  // A listed URL that is not the issuer trusts nothing: most likely a typo that leaves the operator puzzled.
  for (const listed of env.OIDC_TRUSTED_EMAIL_ISSUERS) {
    if (listed !== env.OIDC_ISSUER) {
      issue('OIDC_TRUSTED_EMAIL_ISSUERS', `lists '${listed}', which is not OIDC_ISSUER (issuers are compared exactly)`);
    }
  }
}

/** Single sign-on through an OpenID Connect provider, as the auth library uses it. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** Absent for a public client, which relies on PKCE alone. */
  clientSecret?: string;
  redirectUri: string;
  scopes: string;
  displayName: string;
  /** A claim name, or a dotted path into the ID token's claims (`realm_access.roles`). */
  roleClaim?: string;
  roleMap: Readonly<Record<string, RoleName>>;
  /** The role of someone the map gives none; null refuses them. */
  defaultRole: RoleName | null;
  /** Whether an existing account's role follows the claim at each sign-in. */
  syncRole: boolean;
  allowSignup: boolean;
  /**
   * Issuers whose email claim counts as verified when the ID token has no `email_verified`. Any
   * other issuer's email is used to find, link or create an account only with `email_verified: true`.
   */
  trustedEmailIssuers: readonly string[];
  /** Whether an identity may be linked to an existing owner account (found by its email). */
  linkOwner: boolean;
  /** The console's URL, without a trailing slash. */
  consoleUrl: string;
  /** The cookie that carries the sign-in state gets `Secure` when the gateway is served over https. */
  secureCookie: boolean;
}

/** Null when OIDC_ISSUER is unset: single sign-on is off. */
export function oidcSettings(env: OidcEnv): OidcSettings | null {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID) return null;
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  const redirectUri = env.OIDC_REDIRECT_URI ?? `${publicUrl}/api/auth/oidc/callback`;
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    ...(env.OIDC_CLIENT_SECRET && { clientSecret: env.OIDC_CLIENT_SECRET }),
    redirectUri,
    scopes: env.OIDC_SCOPES.split(/\s+/).filter(Boolean).join(' '),
    displayName: env.OIDC_DISPLAY_NAME,
    ...(env.OIDC_ROLE_CLAIM && { roleClaim: env.OIDC_ROLE_CLAIM }),
    roleMap: env.OIDC_ROLE_MAP,
    defaultRole: env.OIDC_DEFAULT_ROLE === 'none' ? null : env.OIDC_DEFAULT_ROLE,
    syncRole: env.OIDC_SYNC_ROLE,
    allowSignup: env.OIDC_ALLOW_SIGNUP,
    trustedEmailIssuers: env.OIDC_TRUSTED_EMAIL_ISSUERS,
    linkOwner: env.OIDC_LINK_OWNER,
    consoleUrl: (env.CONSOLE_URL ?? publicUrl).replace(/\/+$/, ''),
    secureCookie: new URL(redirectUri).protocol === 'https:',
  };
}
